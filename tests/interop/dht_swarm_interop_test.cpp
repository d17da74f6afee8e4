// Trackerless swarms across clients (issue 16, point 4): a torrent with no announce, only BEP 5 `nodes`
// naming a p2plab bt-dht on loopback. A python3-libtorrent leecher finds a p2plab seed through the DHT and
// downloads the file byte-identical; and a p2plab leecher (bt-peer --dht on) finds a libtorrent seed the same
// way and completes byte-identical.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <thread>

#include "tests/bench/bench_util.h"
#include "tests/interop/bittorrent_lab.h"

namespace p2p::interop {
namespace {

constexpr const char* kPython = "/usr/bin/python3";
constexpr auto kSwarmLimit = std::chrono::seconds(60);

std::uint16_t free_port() {
  return static_cast<std::uint16_t>(bench::free_port());
}
std::string listen_at(std::uint16_t port) {
  return "127.0.0.1:" + std::to_string(port);
}

class DhtSwarmInteropTest : public BitTorrentLab {
 protected:
  void SetUp() override {
    Process check({kPython, "-c", "import libtorrent"});
    P2P_NEEDS(check.wait(std::chrono::seconds(20)) == std::optional<int>(0),
              "python3-libtorrent is not installed");
    BitTorrentLab::SetUp();
    dht_ = std::make_unique<Process>(
        std::vector<std::string>{"bt-dht", "--listen", listen_at(dht_port_), "--node-id", "bootstrap"},
        dir_ / "dht.log");
    ASSERT_TRUE(port_open(dht_port_, kStartLimit)) << log("dht");
    // A trackerless torrent: no --announce, the bt-dht as its one node.
    Process maker({"bt-maketorrent", "--node", listen_at(dht_port_), "--piece-length", "65536", "--output",
                   torrent().string(), original().string()},
                  dir_ / "maketorrent.log");
    ASSERT_EQ(maker.wait(std::chrono::seconds(10)), 0) << log("maketorrent");
  }

  // libtorrent seeding or leeching the torrent under `folder` (dht_swarm_libtorrent.py).
  std::unique_ptr<Process> start_libtorrent(const std::string& mode, const std::filesystem::path& folder) {
    const char* source = std::getenv("P2P_SOURCE");
    std::string script = std::string(source ? source : ".") + "/tests/interop/dht_swarm_libtorrent.py";
    return std::make_unique<Process>(
        std::vector<std::string>{kPython, script, mode, torrent().string(), folder.string(),
                                 std::to_string(dht_port_), std::to_string(lt_port_), "90"},
        dir_ / "libtorrent.log", dir_ / "libtorrent.out");
  }

  std::uint16_t dht_port_ = free_port();
  std::uint16_t lt_port_ = free_port();
  std::unique_ptr<Process> dht_;
};

TEST_F(DhtSwarmInteropTest, LibtorrentFindsAP2plabSeedThroughTheDht) {
  // The p2plab seed joins through the torrent's `nodes` and announces itself; only then does libtorrent
  // look, knowing nothing but the bt-dht node.
  std::uint16_t seed_port = free_port();
  auto seeder = start_peer("seeder", dir_ / "seed", {"--listen", listen_at(seed_port), "--dht", "on"});
  ASSERT_TRUE(wait_until([&] { return log("seeder").find("dht: joined") != std::string::npos; }, kStartLimit))
      << log("seeder") << log("dht");
  std::this_thread::sleep_for(std::chrono::seconds(1));  // its announce_peer follows the join
  auto libtorrent = start_libtorrent("leech", dir_ / "leech");
  EXPECT_EQ(libtorrent->wait(kSwarmLimit), 0)
      << read_text(dir_ / "libtorrent.out") << log("libtorrent") << log("seeder");
  EXPECT_TRUE(same_contents(original(), dir_ / "leech" / "file.bin"));
  EXPECT_NE(log("seeder").find("connected to"), std::string::npos);
}

TEST_F(DhtSwarmInteropTest, AP2plabLeecherFindsALibtorrentSeedThroughTheDht) {
  auto libtorrent = start_libtorrent("seed", dir_ / "seed");
  ASSERT_TRUE(wait_until(
      [&] { return read_text(dir_ / "libtorrent.out").find("announced") != std::string::npos; }, kSwarmLimit))
      << log("libtorrent") << log("dht");
  // bt-peer knows nothing but the torrent, whose `nodes` name the bt-dht; it leaves once complete.
  auto leecher = start_peer("leecher", dir_ / "leech", {"--dht", "on", "--seed-time", "0"});
  EXPECT_EQ(leecher->wait(kSwarmLimit), 0) << log("leecher") << log("libtorrent");
  EXPECT_TRUE(same_contents(original(), dir_ / "leech" / "file.bin"));
  // With no tracker and no peer given, both ends can only have found each other through the DHT (the
  // leecher announces itself too), and either may dial: the one with the smaller address waits a second for
  // the other to dial first (DialListConfig::yield_for).
  std::string leecher_log = log("leecher");
  EXPECT_TRUE(leecher_log.find("connected to " + listen_at(lt_port_) + ", learned from dht") !=
                  std::string::npos ||
              leecher_log.find(", inbound") != std::string::npos)
      << leecher_log;
}

}  // namespace
}  // namespace p2p::interop
