// BitTorrent interop with opentracker: p2plab peers find each other through Debian's opentracker.
#include <fstream>

#include "tests/bench/bench_util.h"
#include "tests/interop/bittorrent_lab.h"

namespace p2p::interop {
namespace {

class OpentrackerInteropTest : public BitTorrentLab {
 protected:
  void SetUp() override {
    P2P_NEEDS(on_path("opentracker"), "opentracker is not installed");
    BitTorrentLab::SetUp();
  }
};

TEST_F(OpentrackerInteropTest, P2plabPeersCompleteASwarmAnnouncingToOpentracker) {
  // opentracker cannot report its port, so it gets a free one. Debian builds it with a whitelist: the
  // torrent's info-hash goes in a file named relative to its -d folder, which must be readable by others (it
  // drops to "nobody"). It hands every peer back its own address too, which the peers skip.
  std::uint16_t port = static_cast<std::uint16_t>(bench::free_port());
  std::string announce = "http://127.0.0.1:" + std::to_string(port) + "/announce";
  make_torrent(announce);
  Process info({"aria2c", "-S", torrent().string()}, {}, dir_ / "info.txt");
  ASSERT_EQ(info.wait(std::chrono::seconds(10)), 0);
  std::string text = read_text(dir_ / "info.txt");
  std::size_t at = text.find("Info Hash: ");
  ASSERT_NE(at, std::string::npos) << text;
  std::ofstream(dir_ / "whitelist") << text.substr(at + 11, 40) << "\n";
  std::filesystem::permissions(dir_ / "whitelist",
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                                   std::filesystem::perms::group_read | std::filesystem::perms::others_read);
  Process tracker({"opentracker", "-i", "127.0.0.1", "-p", std::to_string(port), "-P", std::to_string(port),
                   "-d", dir_.path().string(), "-w", "whitelist"},
                  dir_ / "opentracker.log");
  ASSERT_TRUE(port_open(port, kStartLimit)) << read_text(dir_ / "opentracker.log");

  // One seed and two leechers, which also trade with each other before they leave.
  auto seeder = start_peer("seeder", dir_ / "seed");
  auto first = start_peer("first", dir_ / "first", {"--seed-time", "1"});
  auto second = start_peer("second", dir_ / "second", {"--seed-time", "1"});
  EXPECT_EQ(first->wait(kTransferLimit), 0) << log("first");
  EXPECT_EQ(second->wait(kTransferLimit), 0) << log("second");
  EXPECT_TRUE(same_contents(original(), dir_ / "first" / "file.bin"));
  EXPECT_TRUE(same_contents(original(), dir_ / "second" / "file.bin"));
  // The announces went through opentracker (a refused one would read "failure reason").
  EXPECT_NE(log("first").find("tracker_announce"), std::string::npos) << log("first");
  EXPECT_EQ(log("first").find("tracker_error"), std::string::npos) << log("first");
}

}  // namespace
}  // namespace p2p::interop
