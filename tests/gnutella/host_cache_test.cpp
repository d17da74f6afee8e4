// The host cache: what is learnt, what is refused, what goes when it is full, and how a host is picked.
#include "gnutella/host_cache.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace p2p::gnutella {
namespace {

const Endpoint kSelf{"127.0.0.1", 7000};

TimePoint at(double seconds) {
  return TimePoint{} + from_seconds(seconds);
}
Endpoint host(int n) {
  return Endpoint{"127.0.0.1", static_cast<std::uint16_t>(7000 + n)};
}

TEST(HostCacheTest, LearnsDialableHostsOnceAndIgnoresItself) {
  HostCache cache(kSelf);
  EXPECT_TRUE(cache.learn(host(1), at(0)));
  EXPECT_TRUE(cache.learn(host(1), at(1)));  // again: still one entry
  EXPECT_FALSE(cache.learn(kSelf, at(0)));
  EXPECT_FALSE(cache.learn(Endpoint{"0.0.0.0", 6346}, at(0)));  // a pong with no address
  EXPECT_FALSE(cache.learn(Endpoint{"10.0.0.1", 0}, at(0)));
  EXPECT_EQ(cache.size(), 1u);
}

TEST(HostCacheTest, WhenFullTheHostHeardOfLongestAgoGoes) {
  HostCache cache(kSelf, HostCache::Config{.capacity = 3});
  cache.learn(host(1), at(1));
  cache.learn(host(2), at(2));
  cache.learn(host(3), at(3));
  cache.learn(host(1), at(4));  // heard of again: now the freshest
  cache.learn(host(4), at(5));
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_FALSE(cache.contains(host(2)));
  EXPECT_EQ(cache.freshest(2), (std::vector<Endpoint>{host(4), host(1)}));
}

TEST(HostCacheTest, PicksAmongHostsNotExcludedPreferringOnesThatWorked) {
  HostCache cache(kSelf);
  for (int n = 1; n <= 4; ++n) cache.learn(host(n), at(0));
  cache.failed(host(3));
  cache.failed(host(4));
  Rng rng(1);
  std::set<Endpoint> picked;
  std::vector<Endpoint> connected{host(1)};
  for (int i = 0; i < 50; ++i) picked.insert(*cache.pick(rng, connected));
  // host 1 is already a neighbour, hosts 3 and 4 have failed: host 2 is the only choice.
  EXPECT_EQ(picked, (std::set<Endpoint>{host(2)}));
  // With host 2 taken too, a host that failed once is better than nothing.
  connected.push_back(host(2));
  EXPECT_TRUE(cache.pick(rng, connected).has_value());
  connected.push_back(host(3));
  connected.push_back(host(4));
  EXPECT_FALSE(cache.pick(rng, connected).has_value());
}

TEST(HostCacheTest, PicksSpreadOverTheCacheAndReplayFromTheSeed) {
  HostCache cache(kSelf);
  for (int n = 1; n <= 8; ++n) cache.learn(host(n), at(n));
  Rng rng(5);
  Rng replay(5);
  std::set<Endpoint> picked;
  for (int i = 0; i < 100; ++i) {
    Endpoint choice = *cache.pick(rng, {});
    EXPECT_EQ(*cache.pick(replay, {}), choice);
    picked.insert(choice);
  }
  EXPECT_EQ(picked.size(), 8u);  // not always the newest host: the overlay stays random
}

TEST(HostCacheTest, AHostThatKeepsFailingIsForgottenAndSuccessForgives) {
  HostCache cache(kSelf);
  cache.learn(host(1), at(0));
  cache.learn(host(2), at(0));
  cache.failed(host(1));
  cache.failed(host(1));
  cache.connected(host(1), at(1));  // it answered after all
  cache.failed(host(1));
  EXPECT_TRUE(cache.contains(host(1)));
  for (int i = 0; i < 3; ++i) cache.failed(host(2));
  EXPECT_FALSE(cache.contains(host(2)));
}

}  // namespace
}  // namespace p2p::gnutella
