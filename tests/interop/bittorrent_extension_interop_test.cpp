// BitTorrent's extension protocol against real clients: aria2c opens a magnet link that only p2plab peers
// serve (BEP 9), a p2plab leecher learns an aria2c peer from PEX alone (BEP 11), and tshark decodes the
// extension messages (BEP 10) as BitTorrent.
#include <fstream>
#include <iterator>
#include <sstream>

#include "bittorrent/extension/magnet.h"
#include "bittorrent/metainfo.h"
#include "tests/bench/bench_util.h"
#include "tests/interop/bittorrent_lab.h"

namespace p2p::interop {
namespace {

std::uint16_t free_port() {
  return static_cast<std::uint16_t>(bench::free_port());
}
std::string listen_at(std::uint16_t port) {
  return "127.0.0.1:" + std::to_string(port);
}

class ExtensionInteropTest : public BitTorrentLab {
 protected:
  // The torrent's magnet link, with `tracker` as tr= and `peers` as x.pe=.
  std::string magnet(const std::string& tracker, const std::vector<std::uint16_t>& peers = {}) {
    std::ifstream in(torrent(), std::ios::binary);
    Bytes bytes{std::istreambuf_iterator<char>(in), {}};
    auto metainfo = bittorrent::parse_metainfo(bytes);
    EXPECT_TRUE(metainfo) << metainfo.reason();
    bittorrent::extension::MagnetLink link;
    link.info_hash = metainfo->info_hash;
    link.display_name = "file.bin";
    link.trackers = {tracker};
    for (std::uint16_t port : peers) link.peers.push_back(Endpoint{"127.0.0.1", port});
    return bittorrent::extension::format_magnet(link);
  }

  // A bt-peer started from `link` with its data under `folder`; extra flags follow.
  std::unique_ptr<Process> start_magnet_peer(const std::string& name, const std::string& link,
                                             const std::filesystem::path& folder,
                                             std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {"bt-peer",       "--magnet",    link,   "--data",
                                     folder.string(), "--log-level", "debug"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return std::make_unique<Process>(argv, dir_ / (name + ".log"));
  }
};

class Aria2ExtensionInteropTest : public ExtensionInteropTest {
 protected:
  void SetUp() override {
    P2P_NEEDS(on_path("aria2c"), "aria2c is not installed (Debian package aria2)");
    ExtensionInteropTest::SetUp();
  }
};

TEST_F(Aria2ExtensionInteropTest, Aria2cOpensAMagnetLinkServedOnlyByP2plabPeers) {
  // aria2c has nothing but the link: it fetches the metadata from the p2plab seed over ut_metadata, then
  // downloads the file from it and exits (--seed-time=0).
  std::string tracker = start_tracker();
  make_torrent(tracker);
  auto seeder = start_peer("seeder", dir_ / "seed");
  std::vector<std::string> argv = aria2c_flags(free_port());
  argv.insert(argv.end(), {"--seed-time=0", "--dir", (dir_ / "leech").string(), magnet(tracker)});
  Process aria2(argv, dir_ / "aria2c.log", dir_ / "aria2c.out");

  EXPECT_EQ(aria2.wait(kTransferLimit), 0) << read_text(dir_ / "aria2c.out") << log("seeder");
  EXPECT_TRUE(same_contents(original(), dir_ / "leech" / "file.bin")) << read_text(dir_ / "aria2c.out");
}

TEST_F(Aria2ExtensionInteropTest, AP2plabLeecherLearnsAnAria2cPeerFromPexAlone) {
  // aria2c (PEX on) downloads slowly from the p2plab seed S through the tracker. The p2plab leecher A knows
  // only S, from its magnet link's x.pe (its tr= is a port where no tracker listens); S's ut_pex names
  // aria2c, and A dials it.
  std::string tracker = start_tracker();
  make_torrent(tracker);
  std::uint16_t seed_port = free_port(), aria2_port = free_port();
  auto seeder = start_peer("seeder", dir_ / "seed", {"--listen", listen_at(seed_port)});
  // aria2c's own PEX stays off: the point is that A learns of aria2c from S, and an aria2c that learned of A
  // could dial A first with an encrypted handshake, which A refuses, racing A's own dial.
  std::vector<std::string> argv = aria2c_flags(aria2_port);
  argv.insert(argv.end(), {"--max-download-limit=100K", "--seed-time=0", "--dir", (dir_ / "aria2").string(),
                           torrent().string()});
  Process aria2(argv, dir_ / "aria2c.log", dir_ / "aria2c.out");
  // S must hold its connection to aria2c before A arrives: its first ut_pex to A goes at once, the next a
  // minute later.
  ASSERT_TRUE(
      wait_until([&] { return log("seeder").find("connected to") != std::string::npos; }, kTransferLimit))
      << log("seeder");

  std::string dead_tracker = "http://127.0.0.1:" + std::to_string(free_port()) + "/announce";
  auto leecher = start_magnet_peer("leecher", magnet(dead_tracker, {seed_port}), dir_ / "leech",
                                   {"--down-kbps", "2000"});
  std::string learned = "connected to " + listen_at(aria2_port) + ", learned from pex";
  EXPECT_TRUE(wait_until([&] { return log("leecher").find(learned) != std::string::npos; }, kTransferLimit))
      << log("leecher") << "seeder:\n"
      << log("seeder");
}

class TsharkExtensionInteropTest : public ExtensionInteropTest {
 protected:
  void SetUp() override {
    P2P_NEEDS(on_path("tshark"), "tshark is not installed");
    ExtensionInteropTest::SetUp();
  }
};

TEST_F(TsharkExtensionInteropTest, TsharkDecodesTheExtensionMessagesAsBitTorrent) {
  // A seed, a leecher from the torrent file, and a leecher from a magnet link: extension handshakes, the
  // metadata over ut_metadata, and the seed's ut_pex telling each leecher of the other.
  std::vector<std::uint16_t> ports = {free_port(), free_port(), free_port()};
  std::string filter = "tcp port " + std::to_string(ports[0]) + " or tcp port " + std::to_string(ports[1]) +
                       " or tcp port " + std::to_string(ports[2]);
  Process capture({"tshark", "-i", "lo", "-f", filter, "-w", (dir_ / "swarm.pcapng").string()},
                  dir_ / "capture.log");
  P2P_NEEDS(capture_started(dir_ / "capture.log"),
            "cannot capture on lo: " << read_text(dir_ / "capture.log"));
  std::string tracker = start_tracker();
  make_torrent(tracker);
  auto seeder = start_peer("seeder", dir_ / "seed", {"--listen", listen_at(ports[0])});
  auto leecher =
      start_peer("leecher", dir_ / "leech", {"--listen", listen_at(ports[1]), "--down-kbps", "4000"});
  auto magnet_leecher =
      start_magnet_peer("magnet", magnet(tracker), dir_ / "magnet",
                        {"--listen", listen_at(ports[2]), "--down-kbps", "4000", "--seed-time", "0"});
  EXPECT_EQ(magnet_leecher->wait(kTransferLimit), 0) << log("magnet");
  EXPECT_TRUE(same_contents(original(), dir_ / "magnet" / "file.bin"));
  magnet_leecher->stop();
  leecher->stop();
  seeder->stop();
  stop_capture(capture);

  std::vector<std::string> argv = {"tshark", "-r", (dir_ / "swarm.pcapng").string()};
  for (std::uint16_t port : ports)
    argv.insert(argv.end(), {"-d", "tcp.port==" + std::to_string(port) + ",bittorrent"});
  auto decode = [&](std::vector<std::string> extra) {
    std::vector<std::string> full = argv;
    full.insert(full.end(), extra.begin(), extra.end());
    Process tshark(full, dir_ / "decode.log", dir_ / "decode.txt");
    EXPECT_EQ(tshark.wait(std::chrono::seconds(20)), 0) << read_text(dir_ / "decode.log");
    return read_text(dir_ / "decode.txt");
  };
  // The extended ids seen: 0 the extension handshake, 1 ut_pex and 2 ut_metadata as p2plab numbers them.
  std::map<std::string, int> ids;
  std::istringstream lines(
      decode({"-Y", "bittorrent.extended.id", "-T", "fields", "-e", "bittorrent.extended.id"}));
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    for (std::string id; std::getline(fields, id, ',');) ++ids[id];
  }
  EXPECT_GT(ids["0"], 0) << "no extension handshake";
  EXPECT_GT(ids["1"], 0) << "no ut_pex";
  EXPECT_GT(ids["2"], 0) << "no ut_metadata";
  EXPECT_TRUE(decode({"-Y", "_ws.malformed"}).empty()) << "tshark found malformed packets";
}

}  // namespace
}  // namespace p2p::interop
