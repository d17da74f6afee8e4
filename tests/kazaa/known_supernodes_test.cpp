// The supernode refresh list: merging reports, the cap, expiry, dead supernodes and the candidates to try.
#include "kazaa/known_supernodes.h"

#include <gtest/gtest.h>

#include <vector>

namespace p2p::kazaa {
namespace {

const Endpoint kSelf{"10.0.0.1", 1214};

TimePoint at(double s) {
  return TimePoint{} + from_seconds(s);
}
Endpoint sn(int n) {
  return Endpoint{"10.0.1." + std::to_string(n), 1214};
}
SupernodeEntry entry(int n, std::uint32_t last_seen_s, std::uint8_t load = 50) {
  return SupernodeEntry{sn(n), load, last_seen_s};
}
std::vector<Endpoint> addresses(const std::vector<SupernodeEntry>& entries) {
  std::vector<Endpoint> out;
  for (const auto& e : entries) out.push_back(e.address);
  return out;
}

TEST(KnownSupernodesTest, MergeSkipsItselfAndUndialableAddresses) {
  KnownSupernodes list(kSelf);
  std::vector<SupernodeEntry> received{
      entry(1, 0), {kSelf, 10, 0}, {Endpoint{"0.0.0.0", 1214}, 10, 0}, {Endpoint{"10.0.1.9", 0}, 10, 0}};
  list.merge(received, at(100));
  EXPECT_EQ(list.size(), 1u);
  EXPECT_TRUE(list.contains(sn(1)));
}

TEST(KnownSupernodesTest, TheFresherReportOfOneSupernodeWins) {
  KnownSupernodes list(kSelf);
  // At t=100, supernode 1 was heard of 10 s ago (t=90) at 20 % load.
  list.merge(std::vector{entry(1, 10, 20)}, at(100));
  // At t=105 another list says 30 s ago (t=75) at 90 %: older news, ignored.
  list.merge(std::vector{entry(1, 30, 90)}, at(105));
  EXPECT_EQ(list.to_send(at(110)), (std::vector{entry(1, 20, 20)}));
  // At t=110 a list says 5 s ago (t=105) at 70 %: newer, taken.
  list.merge(std::vector{entry(1, 5, 70)}, at(110));
  EXPECT_EQ(list.to_send(at(110)), (std::vector{entry(1, 5, 70)}));
}

TEST(KnownSupernodesTest, OverCapacityTheStalestGo) {
  KnownSupernodes list(kSelf, KnownSupernodesConfig{.capacity = 3, .max_age = std::chrono::minutes(30)});
  // Ages 40, 10, 30, 20, 50 s at t=100: the three freshest are 2, 4 and 3.
  list.merge(std::vector{entry(1, 40), entry(2, 10), entry(3, 30), entry(4, 20), entry(5, 50)}, at(100));
  EXPECT_EQ(list.size(), 3u);
  EXPECT_EQ(addresses(list.to_send(at(100))), (std::vector{sn(2), sn(4), sn(3)}));
}

TEST(KnownSupernodesTest, ToSendCarriesAtMostTwoHundredEntries) {
  KnownSupernodes list(kSelf, KnownSupernodesConfig{.capacity = 300, .max_age = std::chrono::minutes(30)});
  std::vector<SupernodeEntry> many;
  for (int n = 0; n < 250; ++n)
    many.push_back({Endpoint{"10.0.2." + std::to_string(n), 1214}, 0, static_cast<std::uint32_t>(n)});
  list.merge(many, at(1000));
  EXPECT_EQ(list.size(), 250u);
  auto sent = list.to_send(at(1000));
  ASSERT_EQ(sent.size(), kMaxSupernodeEntries);
  EXPECT_EQ(sent.front().last_seen_s, 0u);   // the freshest first
  EXPECT_EQ(sent.back().last_seen_s, 199u);  // the 50 stalest left out
}

TEST(KnownSupernodesTest, ForgetsEntriesOlderThanTheMaximumAge) {
  KnownSupernodes list(kSelf, KnownSupernodesConfig{.capacity = 200, .max_age = seconds(60)});
  list.merge(std::vector{entry(1, 0), entry(2, 50)}, at(100));  // heard of at t=100 and t=50
  list.expire(at(115));                                         // supernode 2 is now 65 s old
  EXPECT_TRUE(list.contains(sn(1)));
  EXPECT_FALSE(list.contains(sn(2)));
  list.expire(at(161));
  EXPECT_EQ(list.size(), 0u);
}

TEST(KnownSupernodesTest, ADeadSupernodeComesBackOnlyOnNewerNews) {
  KnownSupernodes list(kSelf);
  list.merge(std::vector{entry(1, 0), entry(2, 0)}, at(100));
  list.mark_dead(sn(1), at(200));
  EXPECT_TRUE(list.is_dead(sn(1)));
  EXPECT_EQ(addresses(list.candidates(at(200), {}, 5)), (std::vector{sn(2)}));
  // A neighbour's list heard of it 30 s ago, at t=180, before it died: still dead.
  list.merge(std::vector{entry(1, 30)}, at(210));
  EXPECT_FALSE(list.contains(sn(1)));
  // Another heard from it 5 s ago, at t=215: it is back.
  list.merge(std::vector{entry(1, 5)}, at(220));
  EXPECT_TRUE(list.contains(sn(1)));
  EXPECT_FALSE(list.is_dead(sn(1)));
}

TEST(KnownSupernodesTest, CandidatesSkipThoseTriedAndPreferFreshThenLightlyLoaded) {
  KnownSupernodes list(kSelf);
  list.merge(std::vector{entry(1, 10, 10), entry(2, 0, 80), entry(3, 0, 30), entry(4, 20, 0)}, at(100));
  // Fresh ones (2 and 3, the lighter first), then 1, then 4.
  EXPECT_EQ(addresses(list.candidates(at(100), {}, 10)), (std::vector{sn(3), sn(2), sn(1), sn(4)}));
  std::vector<Endpoint> tried{sn(3), sn(1)};
  EXPECT_EQ(addresses(list.candidates(at(100), tried, 1)), (std::vector{sn(2)}));
}

TEST(KnownSupernodesTest, HeardFromRefreshesAnEntryAndItsLoad) {
  KnownSupernodes list(kSelf);
  list.merge(std::vector{entry(1, 100, 90)}, at(100));
  list.heard_from(sn(1), 15, at(120));
  EXPECT_EQ(list.to_send(at(125)), (std::vector{entry(1, 5, 15)}));
}

TEST(KnownSupernodesTest, CountsThoseHeardOfWithinAWindow) {
  KnownSupernodes list(kSelf);
  list.merge(std::vector{entry(1, 5), entry(2, 25), entry(3, 100)}, at(200));
  EXPECT_EQ(list.heard_within(at(200), seconds(30)), 2u);
  EXPECT_EQ(list.heard_within(at(210), seconds(30)), 1u);
  list.heard_from(sn(3), 0, at(210));
  EXPECT_EQ(list.heard_within(at(210), seconds(30)), 2u);
}

}  // namespace
}  // namespace p2p::kazaa
