// PartnerScores: per-second rates each way over a period, DONet's score max(s_ij, s_ji), and the partner
// refinement drops (the lowest scorer, never one younger than the minimum age).
#include "coolstreaming/partner_scores.h"

#include <gtest/gtest.h>

namespace p2p::coolstreaming {
namespace {

constexpr TimePoint kT0 = TimePoint{} + std::chrono::hours(1);

Endpoint partner(std::uint16_t port) {
  return Endpoint{.host = "10.0.0.3", .port = port};
}

TEST(PartnerScoresTest, RatesAreSegmentsPerSecondOverThePeriodAndTheScoreIsTheLargerWay) {
  PartnerScores scores;
  scores.add(partner(1), kT0);
  scores.on_received(partner(1), 20);
  scores.on_sent(partner(1), 5);
  scores.end_period(kT0 + 10s);
  EXPECT_DOUBLE_EQ(scores.rates(partner(1)).received, 2.0);
  EXPECT_DOUBLE_EQ(scores.rates(partner(1)).sent, 0.5);
  EXPECT_DOUBLE_EQ(scores.rates(partner(1)).score(), 2.0);
  // The next period starts from zero: 30 sent in 5 s and nothing received.
  scores.on_sent(partner(1), 30);
  scores.end_period(kT0 + 15s);
  EXPECT_DOUBLE_EQ(scores.rates(partner(1)).received, 0.0);
  EXPECT_DOUBLE_EQ(scores.rates(partner(1)).score(), 6.0);  // a good customer is worth keeping too
}

TEST(PartnerScoresTest, APartnerAddedMidPeriodIsMeasuredOverItsOwnTime) {
  PartnerScores scores;
  scores.add(partner(1), kT0);
  scores.add(partner(2), kT0 + 8s);
  scores.on_received(partner(2), 4);
  scores.end_period(kT0 + 10s);
  EXPECT_DOUBLE_EQ(scores.rates(partner(2)).received, 2.0);  // 4 segments in its 2 s, not in 10 s
  EXPECT_DOUBLE_EQ(scores.rates(partner(1)).score(), 0.0);
}

TEST(PartnerScoresTest, RefinementDropsTheLowestScoringPartner) {
  PartnerScores scores(PartnerScoresConfig{.min_age = std::chrono::seconds(30)});
  for (std::uint16_t port : {1, 2, 3}) scores.add(partner(port), kT0);
  scores.on_received(partner(1), 100);  // a good supplier
  scores.on_sent(partner(2), 80);       // a good customer
  scores.on_received(partner(3), 10);   // trades little either way
  scores.on_sent(partner(3), 10);
  scores.end_period(kT0 + 40s);
  EXPECT_EQ(scores.to_drop(kT0 + 40s), partner(3));
  scores.remove(partner(3));
  EXPECT_FALSE(scores.contains(partner(3)));
  EXPECT_EQ(scores.to_drop(kT0 + 40s), partner(2));  // 2 segments/s against partner 1's 2.5
}

TEST(PartnerScoresTest, ANewPartnerIsNotDroppedBeforeItsMinimumAge) {
  PartnerScores scores(PartnerScoresConfig{.min_age = std::chrono::seconds(30)});
  scores.add(partner(1), kT0);
  scores.on_received(partner(1), 50);
  scores.add(partner(2), kT0 + 20s);  // the replacement from the last refinement: nothing exchanged yet
  scores.end_period(kT0 + 40s);
  EXPECT_EQ(scores.to_drop(kT0 + 40s), partner(1)) << "partner 2 scores 0 but is only 20 s old";
  EXPECT_EQ(scores.to_drop(kT0 + 50s), partner(2)) << "at 30 s old its zero score counts";
  EXPECT_FALSE(PartnerScores().to_drop(kT0));
  PartnerScores young;
  young.add(partner(3), kT0);
  EXPECT_FALSE(young.to_drop(kT0 + 10s));
}

TEST(PartnerScoresTest, OnATieTheLongestHeldPartnerGoes) {
  PartnerScores scores(PartnerScoresConfig{.min_age = std::chrono::seconds(0)});
  scores.add(partner(9), kT0 + 5s);
  scores.add(partner(4), kT0);
  scores.end_period(kT0 + 60s);
  EXPECT_EQ(scores.to_drop(kT0 + 60s), partner(4));
}

}  // namespace
}  // namespace p2p::coolstreaming
