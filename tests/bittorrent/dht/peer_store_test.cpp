// The announced-peer store: what get_peers hands out after announce_peer, for how long, and within what
// bounds.
#include "bittorrent/dht/peer_store.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/bittorrent/dht/ids.h"

namespace p2p::bittorrent::dht {
namespace {

using test::id_from_bits;

TimePoint at_minute(int minutes) {
  return TimePoint{} + std::chrono::minutes(minutes);
}

const NodeId kTorrent = id_from_bits("1010");
const NodeId kOtherTorrent = id_from_bits("0101");

Endpoint peer(std::uint16_t port) {
  return Endpoint{"10.0.0.1", port};
}

class PeerStoreTest : public ::testing::Test {
 protected:
  Rng rng_{9};
};

TEST_F(PeerStoreTest, HandsOutThePeersAnnouncedUnderAnInfoHash) {
  PeerStore store(PeerStoreConfig{});
  EXPECT_TRUE(store.announce(kTorrent, peer(1), at_minute(0)));
  EXPECT_TRUE(store.announce(kTorrent, peer(2), at_minute(0)));
  EXPECT_TRUE(store.announce(kOtherTorrent, peer(3), at_minute(0)));
  EXPECT_TRUE(store.announce(kTorrent, peer(1), at_minute(1)));  // again: still one entry
  auto peers = store.peers(kTorrent, 10, at_minute(1), rng_);
  std::ranges::sort(peers);
  EXPECT_EQ(peers, (std::vector<Endpoint>{peer(1), peer(2)}));
  EXPECT_TRUE(store.peers(id_from_bits("1111"), 10, at_minute(1), rng_).empty());
  EXPECT_EQ(store.torrents(), 2u);
}

TEST_F(PeerStoreTest, GivesARandomChoiceWhenThereAreMoreThanAsked) {
  PeerStore store(PeerStoreConfig{});
  for (std::uint16_t port = 1; port <= 50; ++port) store.announce(kTorrent, peer(port), at_minute(0));
  auto first = store.peers(kTorrent, 8, at_minute(0), rng_);
  auto second = store.peers(kTorrent, 8, at_minute(0), rng_);
  EXPECT_EQ(first.size(), 8u);
  EXPECT_EQ(second.size(), 8u);
  EXPECT_NE(first, second);
}

TEST_F(PeerStoreTest, PeersThatStopAnnouncingExpire) {
  PeerStoreConfig config;
  config.peer_lifetime = std::chrono::minutes(30);
  PeerStore store(config);
  store.announce(kTorrent, peer(1), at_minute(0));
  store.announce(kTorrent, peer(2), at_minute(20));
  // At minute 30 the first is past its lifetime, even before expire() runs.
  EXPECT_EQ(store.peers(kTorrent, 10, at_minute(30), rng_), std::vector<Endpoint>{peer(2)});
  store.expire(at_minute(30));
  EXPECT_EQ(store.torrents(), 1u);
  // Re-announcing keeps a peer; the other goes, and its torrent with it.
  store.announce(kOtherTorrent, peer(3), at_minute(30));
  store.expire(at_minute(50));
  EXPECT_EQ(store.torrents(), 1u);
  EXPECT_EQ(store.peers(kOtherTorrent, 10, at_minute(50), rng_), std::vector<Endpoint>{peer(3)});
}

TEST_F(PeerStoreTest, AFullTorrentForgetsItsStalestPeerAndAFullStoreTakesNoNewTorrent) {
  PeerStoreConfig config;
  config.max_torrents = 1;
  config.max_peers_per_torrent = 2;
  PeerStore store(config);
  store.announce(kTorrent, peer(1), at_minute(0));
  store.announce(kTorrent, peer(2), at_minute(1));
  store.announce(kTorrent, peer(1), at_minute(2));  // peer 1 refreshed: peer 2 is now the stalest
  store.announce(kTorrent, peer(3), at_minute(3));
  auto peers = store.peers(kTorrent, 10, at_minute(3), rng_);
  std::ranges::sort(peers);
  EXPECT_EQ(peers, (std::vector<Endpoint>{peer(1), peer(3)}));
  EXPECT_FALSE(store.announce(kOtherTorrent, peer(4), at_minute(3)));
  EXPECT_EQ(store.torrents(), 1u);
}

}  // namespace
}  // namespace p2p::bittorrent::dht
