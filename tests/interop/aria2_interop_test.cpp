// BitTorrent interop with aria2c: each side downloads from the other through bt-tracker, byte for byte.
#include "tests/bench/bench_util.h"
#include "tests/interop/bittorrent_lab.h"

namespace p2p::interop {
namespace {

class Aria2InteropTest : public BitTorrentLab {
 protected:
  void SetUp() override {
    P2P_NEEDS(on_path("aria2c"), "aria2c is not installed (Debian package aria2)");
    BitTorrentLab::SetUp();
  }
};

TEST_F(Aria2InteropTest, AP2plabLeecherCompletesFromAnAria2cSeeder) {
  // aria2c checks the original file against the torrent and seeds it; a bt-peer that starts empty downloads
  // it and leaves on completion (--seed-time 0).
  make_torrent(start_tracker());
  std::vector<std::string> seeder = aria2c_flags(static_cast<std::uint16_t>(bench::free_port()));
  seeder.insert(seeder.end(), {"--check-integrity=true", "--seed-ratio=0.0", "--dir",
                               (dir_ / "seed").string(), torrent().string()});
  Process aria2(seeder, dir_ / "aria2c.log", dir_ / "aria2c.out");

  auto leecher = start_peer("leecher", dir_ / "leech", {"--seed-time", "0"});
  EXPECT_EQ(leecher->wait(kTransferLimit), 0) << log("leecher");
  EXPECT_TRUE(same_contents(original(), dir_ / "leech" / "file.bin")) << log("leecher");
  EXPECT_NE(log("leecher").find("\"verified\":true"), std::string::npos);
}

TEST_F(Aria2InteropTest, AnAria2cLeecherCompletesFromAP2plabSeeder) {
  // A bt-peer finds the whole file in its folder, verifies it and seeds; aria2c downloads it and exits.
  make_torrent(start_tracker());
  auto seeder = start_peer("seeder", dir_ / "seed");
  std::vector<std::string> leecher = aria2c_flags(static_cast<std::uint16_t>(bench::free_port()));
  leecher.insert(leecher.end(), {"--seed-time=0", "--dir", (dir_ / "leech").string(), torrent().string()});
  Process aria2(leecher, dir_ / "aria2c.log", dir_ / "aria2c.out");

  EXPECT_EQ(aria2.wait(kTransferLimit), 0) << read_text(dir_ / "aria2c.out") << log("seeder");
  EXPECT_TRUE(same_contents(original(), dir_ / "leech" / "file.bin"));
}

}  // namespace
}  // namespace p2p::interop
