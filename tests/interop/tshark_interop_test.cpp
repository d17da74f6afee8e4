// BitTorrent interop with Wireshark: tshark decodes a loopback capture of a p2plab swarm as BitTorrent.
#include <map>
#include <sstream>

#include "tests/bench/bench_util.h"
#include "tests/interop/bittorrent_lab.h"

namespace p2p::interop {
namespace {

class TsharkInteropTest : public BitTorrentLab {
 protected:
  void SetUp() override {
    P2P_NEEDS(on_path("tshark"), "tshark is not installed");
    BitTorrentLab::SetUp();
  }

  // Runs tshark on the capture with both peers' ports decoded as BitTorrent, and returns what it prints.
  std::string decode(std::vector<std::string> extra) {
    std::vector<std::string> argv = {"tshark", "-r", (dir_ / "swarm.pcapng").string()};
    for (std::uint16_t port : ports_)
      argv.insert(argv.end(), {"-d", "tcp.port==" + std::to_string(port) + ",bittorrent"});
    argv.insert(argv.end(), extra.begin(), extra.end());
    Process tshark(argv, dir_ / "decode.log", dir_ / "decode.txt");
    EXPECT_EQ(tshark.wait(std::chrono::seconds(20)), 0) << read_text(dir_ / "decode.log");
    return read_text(dir_ / "decode.txt");
  }

  // Either peer may dial the other (the duplicate is closed), so both listen on ports fixed in advance.
  std::vector<std::uint16_t> ports_ = {static_cast<std::uint16_t>(bench::free_port()),
                                       static_cast<std::uint16_t>(bench::free_port())};
};

TEST_F(TsharkInteropTest, TsharkDecodesAP2plabSwarmAsBitTorrent) {
  // The capture filter keeps only the two peers' ports.
  std::string filter = "tcp port " + std::to_string(ports_[0]) + " or tcp port " + std::to_string(ports_[1]);
  Process capture({"tshark", "-i", "lo", "-f", filter, "-w", (dir_ / "swarm.pcapng").string()},
                  dir_ / "capture.log");
  P2P_NEEDS(capture_started(dir_ / "capture.log"),
            "cannot capture on lo: " << read_text(dir_ / "capture.log"));
  make_torrent(start_tracker());
  auto seeder = start_peer("seeder", dir_ / "seed", {"--listen", "127.0.0.1:" + std::to_string(ports_[0])});
  auto leecher = start_peer("leecher", dir_ / "leech",
                            {"--seed-time", "0", "--listen", "127.0.0.1:" + std::to_string(ports_[1])});
  ASSERT_EQ(leecher->wait(kTransferLimit), 0) << log("leecher");
  EXPECT_TRUE(same_contents(original(), dir_ / "leech" / "file.bin"));
  seeder->stop();
  stop_capture(capture);

  // Count the message types tshark found (one packet may carry several messages).
  std::map<std::string, int> types;
  std::istringstream lines(
      decode({"-Y", "bittorrent.msg.type", "-T", "fields", "-e", "bittorrent.msg.type"}));
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    for (std::string type; std::getline(fields, type, ',');) ++types[type];
  }
  EXPECT_GT(types["5"], 0) << "no bitfield";
  EXPECT_GT(types["6"], 0) << "no request";
  EXPECT_GT(types["7"], 0) << "no piece";
  EXPECT_FALSE(decode({"-Y", "bittorrent.protocol.name == \"BitTorrent protocol\""}).empty())
      << "no handshake";
  EXPECT_TRUE(decode({"-Y", "_ws.malformed"}).empty()) << "tshark found malformed packets";
}

}  // namespace
}  // namespace p2p::interop
