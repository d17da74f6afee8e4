// The query driver: the own index first, rounds of `indirect` supernodes, each asked once, until enough
// matches or nobody is left, with the round timeout and the result cap.
#include "kazaa/query_driver.h"

#include <gtest/gtest.h>

#include <vector>

namespace p2p::kazaa {
namespace {

TimePoint at(double s) {
  return TimePoint{} + from_seconds(s);
}
Endpoint sn(int n) {
  return Endpoint{"10.0.1.1", static_cast<std::uint16_t>(2000 + n)};
}
// Supernodes first..last, in that order.
std::vector<Endpoint> sns(int first, int last) {
  std::vector<Endpoint> out;
  for (int n = first; n <= last; ++n) out.push_back(sn(n));
  return out;
}
QueryDriverConfig config(std::size_t want, std::size_t indirect) {
  return QueryDriverConfig{
      .want = want, .indirect = indirect, .round_timeout = seconds(2), .max_results = kSearchResultsMax};
}

TEST(QueryDriverTest, EnoughLocalMatchesAskNobody) {
  QueryDriver driver(config(50, 6), sns(1, 20));
  QueryStep step = driver.start(60, at(0));
  EXPECT_TRUE(step.finished);
  EXPECT_EQ(step.pass_on, 60u);
  EXPECT_TRUE(step.forward_to.empty());
  EXPECT_EQ(driver.messages(), 0u);
  EXPECT_EQ(driver.supernodes_contacted(), 0u);
}

TEST(QueryDriverTest, AsksRoundsOfIndirectSupernodesAndStopsAtEnoughMatches) {
  QueryDriver driver(config(50, 6), sns(1, 20));
  // 10 local matches: the first round asks supernodes 1-6.
  QueryStep first = driver.start(10, at(0));
  EXPECT_FALSE(first.finished);
  EXPECT_EQ(first.pass_on, 10u);
  EXPECT_EQ(first.forward_to, sns(1, 6));
  EXPECT_EQ(first.wake_at, at(2));
  // Five of them reply with 5 matches each: 35, the round is not over.
  for (int n = 1; n <= 5; ++n) EXPECT_TRUE(driver.on_reply(sn(n), 5, at(0.5)).forward_to.empty());
  // The sixth ends the round at 40 matches: the next six are asked.
  QueryStep second = driver.on_reply(sn(6), 5, at(0.6));
  EXPECT_EQ(second.pass_on, 5u);
  EXPECT_EQ(second.forward_to, sns(7, 12));
  // Supernode 7 brings 15: 55 >= 50, the search ends without waiting for 8-12.
  QueryStep last = driver.on_reply(sn(7), 15, at(0.8));
  EXPECT_TRUE(last.finished);
  EXPECT_EQ(last.pass_on, 15u);
  EXPECT_TRUE(driver.finished());
  EXPECT_EQ(driver.matches(), 55u);
  EXPECT_EQ(driver.rounds(), 2u);
  EXPECT_EQ(driver.supernodes_contacted(), 12u);
  EXPECT_EQ(driver.messages(), 12u + 7u);  // 12 forwards, 7 replies
  // A reply after the end is a message, but nothing to pass on.
  EXPECT_EQ(driver.on_reply(sn(8), 9, at(0.9)).pass_on, 0u);
  EXPECT_EQ(driver.messages(), 20u);
  EXPECT_EQ(driver.matches(), 55u);
}

TEST(QueryDriverTest, AsksEachSupernodeAtMostOnce) {
  // Supernode 2 is listed three times (a neighbour also named in a list).
  std::vector<Endpoint> known{sn(1), sn(2), sn(2), sn(3), sn(2), sn(4)};
  QueryDriver driver(config(50, 3), known);
  EXPECT_EQ(driver.start(0, at(0)).forward_to, (std::vector{sn(1), sn(2), sn(3)}));
  driver.on_reply(sn(1), 0, at(0.1));
  driver.on_reply(sn(2), 0, at(0.1));
  // A second reply from 2, and one from a supernode never asked, do not count and do not end the round.
  EXPECT_EQ(driver.on_reply(sn(2), 30, at(0.1)).pass_on, 0u);
  EXPECT_EQ(driver.on_reply(sn(9), 30, at(0.1)).pass_on, 0u);
  EXPECT_EQ(driver.matches(), 0u);
  EXPECT_EQ(driver.on_reply(sn(3), 0, at(0.2)).forward_to, (std::vector{sn(4)}));
  EXPECT_EQ(driver.supernodes_contacted(), 4u);
}

TEST(QueryDriverTest, EndsWhenNobodyIsLeftToAsk) {
  QueryDriver driver(config(50, 6), sns(1, 8));
  EXPECT_EQ(driver.start(0, at(0)).forward_to.size(), 6u);
  for (int n = 1; n <= 6; ++n) driver.on_reply(sn(n), 1, at(0.1));
  EXPECT_EQ(driver.rounds(), 2u);  // the second round holds the last two
  driver.on_reply(sn(7), 1, at(0.2));
  QueryStep last = driver.on_reply(sn(8), 1, at(0.2));
  EXPECT_TRUE(last.finished);
  EXPECT_TRUE(last.forward_to.empty());
  EXPECT_EQ(driver.matches(), 8u);
  EXPECT_EQ(driver.supernodes_contacted(), 8u);
}

TEST(QueryDriverTest, HonoursTheRoundSize) {
  QueryDriver driver(config(50, 10), sns(1, 25));
  EXPECT_EQ(driver.start(0, at(0)).forward_to, sns(1, 10));
}

TEST(QueryDriverTest, ARoundTimeoutStartsTheNextRoundAndLateRepliesStillCount) {
  QueryDriver driver(config(50, 6), sns(1, 12));
  driver.start(0, at(0));
  for (int n = 1; n <= 4; ++n) driver.on_reply(sn(n), 2, at(0.5));
  // Supernodes 5 and 6 are slow; before the deadline nothing happens.
  EXPECT_TRUE(driver.on_timer(at(1.9)).forward_to.empty());
  QueryStep second = driver.on_timer(at(2));
  EXPECT_EQ(second.forward_to, sns(7, 12));
  EXPECT_EQ(second.wake_at, at(4));
  // A timer left over from the first round fires again: still the second round.
  EXPECT_TRUE(driver.on_timer(at(2.1)).forward_to.empty());
  // Supernode 5 answers during the second round: its matches count, the second round goes on.
  QueryStep late = driver.on_reply(sn(5), 3, at(2.5));
  EXPECT_EQ(late.pass_on, 3u);
  EXPECT_FALSE(late.finished);
  EXPECT_EQ(driver.matches(), 11u);
  // The second round times out too, and nobody is left.
  EXPECT_TRUE(driver.on_timer(at(4)).finished);
}

TEST(QueryDriverTest, PassesOnAtMostTheResultCap) {
  QueryDriver driver(
      QueryDriverConfig{.want = 500, .indirect = 6, .round_timeout = seconds(2), .max_results = 200},
      sns(1, 6));
  EXPECT_EQ(driver.start(150, at(0)).pass_on, 150u);
  QueryStep step = driver.on_reply(sn(1), 80, at(0.1));
  EXPECT_EQ(step.pass_on, 50u);  // 200 - 150
  EXPECT_TRUE(step.finished);    // the cap is enough, whatever `want` says
}

}  // namespace
}  // namespace p2p::kazaa
