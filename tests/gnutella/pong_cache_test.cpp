// The pong cache: ten per connection, answers drawn from the other connections, and the refresh rhythm.
#include "gnutella/pong_cache.h"

#include <gtest/gtest.h>

#include <set>

namespace p2p::gnutella {
namespace {

const ConnId kA{1};
const ConnId kB{2};
const ConnId kC{3};

TimePoint at(double seconds) {
  return TimePoint{} + from_seconds(seconds);
}

// A pong for host 10.0.<conn>.<n>:6346, so a test can tell where an answer came from.
Pong pong(ConnId conn, std::uint32_t n) {
  return Pong{6346, 0x0a000000u | static_cast<std::uint32_t>(conn.value << 8) | n, n, n * 10};
}

std::set<std::uint32_t> hosts_of(const std::vector<CachedPong>& pongs) {
  std::set<std::uint32_t> hosts;
  for (const CachedPong& cached : pongs) hosts.insert(cached.pong.ip);
  return hosts;
}

TEST(PongCacheTest, KeepsTheTenNewestPongsOfEachConnection) {
  PongCache cache;
  for (std::uint32_t n = 1; n <= 15; ++n) cache.add(kA, pong(kA, n), 1, at(n * 0.1));
  EXPECT_EQ(cache.size(), 10u);
  // Asked from kB, the answer is kA's pongs 6..15.
  std::vector<CachedPong> answer = cache.answer(kB, at(2));
  ASSERT_EQ(answer.size(), 10u);
  EXPECT_EQ(answer.front().pong, pong(kA, 15));  // newest first
  EXPECT_EQ(answer.back().pong, pong(kA, 6));
}

TEST(PongCacheTest, ANewerPongForTheSameHostReplacesTheOlder) {
  PongCache cache;
  cache.add(kA, Pong{6346, 0x0a000001, 1, 1}, 2, at(0));
  cache.add(kA, Pong{6346, 0x0a000001, 5, 50}, 1, at(1));
  ASSERT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.answer(kB, at(1)).front().pong.files, 5u);
}

TEST(PongCacheTest, AnswersNeverHandTheAskerItsOwnPongsBack) {
  PongCache cache;
  cache.add(kA, pong(kA, 1), 1, at(0));
  cache.add(kB, pong(kB, 1), 1, at(0));
  std::vector<CachedPong> answer = cache.answer(kA, at(1));
  ASSERT_EQ(answer.size(), 1u);
  EXPECT_EQ(answer[0].from, kB);
}

TEST(PongCacheTest, AnswersMixConnectionsAndHoldAtMostTenDistinctHosts) {
  PongCache cache;
  // kA knows 10 hosts, kB knows 3 of which one is also known through kA.
  for (std::uint32_t n = 1; n <= 10; ++n) cache.add(kA, pong(kA, n), 1, at(0));
  cache.add(kB, pong(kB, 1), 1, at(0));
  cache.add(kB, pong(kB, 2), 1, at(0));
  cache.add(kB, pong(kA, 10), 3, at(0));
  std::vector<CachedPong> answer = cache.answer(kC, at(1));
  ASSERT_EQ(answer.size(), 10u);
  EXPECT_EQ(hosts_of(answer).size(), 10u);
  // Round-robin: kB's two own hosts are in, though kA alone could have filled the answer.
  EXPECT_TRUE(hosts_of(answer).contains(pong(kB, 1).ip));
  EXPECT_TRUE(hosts_of(answer).contains(pong(kB, 2).ip));
}

TEST(PongCacheTest, StalePongsAreNotOffered) {
  PongCache cache;
  cache.add(kA, pong(kA, 1), 1, at(0));
  cache.add(kA, pong(kA, 2), 1, at(20));
  EXPECT_EQ(cache.answer(kB, at(30)).size(), 2u);
  std::vector<CachedPong> later = cache.answer(kB, at(40));  // pong 1 is now 40 s old, past max_age
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].pong, pong(kA, 2));
}

TEST(PongCacheTest, RefreshIsDueAtOnceThenEveryThreeSeconds) {
  PongCache cache;
  EXPECT_TRUE(cache.refresh_due(at(0)));
  cache.mark_refreshed(at(0));
  EXPECT_FALSE(cache.refresh_due(at(2.9)));
  EXPECT_TRUE(cache.refresh_due(at(3)));
}

TEST(PongCacheTest, ForgettingAConnectionDropsItsPongs) {
  PongCache cache;
  cache.add(kA, pong(kA, 1), 1, at(0));
  cache.add(kB, pong(kB, 1), 1, at(0));
  cache.forget_connection(kA);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.answer(kC, at(0)).size(), 1u);
}

TEST(PongCacheTest, OnlyTtlOneHopsZeroIsAHandshakePing) {
  Header ping;
  ping.ttl = 1;
  ping.hops = 0;
  EXPECT_TRUE(is_handshake_ping(ping));
  ping.ttl = 7;
  EXPECT_FALSE(is_handshake_ping(ping));
  ping.ttl = 1;
  ping.hops = 1;
  EXPECT_FALSE(is_handshake_ping(ping));
}

}  // namespace
}  // namespace p2p::gnutella
