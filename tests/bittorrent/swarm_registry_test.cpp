// SwarmRegistry: random peer lists without the caller, events, seeds, expiry, and unknown torrents.
#include "bittorrent/swarm_registry.h"

#include <gtest/gtest.h>

#include <set>

namespace p2p::bittorrent {
namespace {

const Sha1Digest kTorrent = [] {
  Sha1Digest d{};
  d.fill(7);
  return d;
}();

AnnounceRequest from(std::uint16_t port, std::uint64_t left = 100,
                     AnnounceEvent event = AnnounceEvent::None) {
  AnnounceRequest request;
  request.info_hash = kTorrent;
  request.port = port;
  request.left = left;
  request.event = event;
  return request;
}

constexpr std::uint32_t kLocal = 0x7f000001;  // 127.0.0.1

TEST(SwarmRegistryTest, AnswersAtMostNumwantRandomPeersAndNeverTheCaller) {
  // 100 peers join; each later announce gets 40 distinct others, and over many draws every peer shows up.
  SwarmRegistry registry;
  registry.add_torrent(kTorrent);
  Rng rng(1);
  for (std::uint16_t port = 1000; port < 1100; ++port)
    ASSERT_TRUE(registry.announce(from(port), kLocal, {}, rng));
  std::set<std::uint16_t> seen;
  for (int round = 0; round < 20; ++round) {
    auto answer = registry.announce(from(1000), kLocal, {}, rng);
    ASSERT_TRUE(answer);
    ASSERT_EQ(answer->peers.size(), 40u);
    std::set<std::uint16_t> ports;
    for (const TrackerPeer& peer : answer->peers) ports.insert(peer.port);
    EXPECT_EQ(ports.size(), 40u);
    EXPECT_FALSE(ports.contains(1000));
    seen.insert(ports.begin(), ports.end());
  }
  EXPECT_EQ(seen.size(), 99u);
}

TEST(SwarmRegistryTest, CountsSeedsAndCompletionsAndForgetsStoppedPeers) {
  SwarmRegistry registry;
  registry.add_torrent(kTorrent);
  Rng rng(1);
  ASSERT_TRUE(registry.announce(from(1, 0, AnnounceEvent::Started), kLocal, {}, rng));
  ASSERT_TRUE(registry.announce(from(2, 50, AnnounceEvent::Started), kLocal, {}, rng));
  auto done = registry.announce(from(2, 0, AnnounceEvent::Completed), kLocal, {}, rng);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->complete, 2);
  EXPECT_EQ(done->incomplete, 0);
  ASSERT_TRUE(registry.announce(from(1, 0, AnnounceEvent::Stopped), kLocal, {}, rng));
  auto scrape = registry.scrape({kTorrent});
  ASSERT_EQ(scrape.size(), 1u);
  EXPECT_EQ(scrape[0].complete, 1);
  EXPECT_EQ(scrape[0].downloaded, 1);
  EXPECT_EQ(registry.peers(), 1u);
}

TEST(SwarmRegistryTest, PeersThatStopAnnouncingExpire) {
  SwarmRegistryConfig options;
  options.peer_timeout = std::chrono::seconds(60);
  SwarmRegistry registry(options);
  registry.add_torrent(kTorrent);
  Rng rng(1);
  TimePoint t0{};
  ASSERT_TRUE(registry.announce(from(1), kLocal, t0, rng));
  ASSERT_TRUE(registry.announce(from(2), kLocal, t0 + std::chrono::seconds(50), rng));
  EXPECT_EQ(registry.expire(t0 + std::chrono::seconds(70)), 1u);  // only the one silent for 70 s
  EXPECT_EQ(registry.peers(), 1u);
}

TEST(SwarmRegistryTest, RefusesUnknownTorrentsUnlessOpen) {
  Rng rng(1);
  SwarmRegistry closed;
  EXPECT_EQ(closed.announce(from(1), kLocal, {}, rng).reason(), "unregistered torrent");
  SwarmRegistryConfig options;
  options.open = true;
  SwarmRegistry open(options);
  EXPECT_TRUE(open.announce(from(1), kLocal, {}, rng));
  EXPECT_TRUE(open.knows(kTorrent));
}

}  // namespace
}  // namespace p2p::bittorrent
