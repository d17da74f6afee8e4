// Tests of the login retry backoff: doubling from the initial delay to the cap, jitter bounds, and reset.
#include "napster/backoff.h"

#include <gtest/gtest.h>

#include <vector>

namespace p2p::napster {
namespace {

TEST(BackoffTest, DoublesFromOneSecondUpToThirtyWithoutJitter) {
  Backoff backoff({seconds(1), seconds(30), 0.0});
  Rng rng(1);
  std::vector<double> delays;
  for (int i = 0; i < 7; ++i) delays.push_back(to_seconds(backoff.next(rng)));
  EXPECT_EQ(delays, (std::vector<double>{1, 2, 4, 8, 16, 30, 30}));
  EXPECT_EQ(backoff.attempts(), 7);
}

TEST(BackoffTest, ResetStartsTheScheduleOver) {
  Backoff backoff({seconds(1), seconds(30), 0.0});
  Rng rng(1);
  backoff.next(rng);
  backoff.next(rng);
  backoff.reset();
  EXPECT_EQ(to_seconds(backoff.next(rng)), 1.0);
}

TEST(BackoffTest, JitterSpreadsEachDelayWithinItsFraction) {
  Backoff backoff({seconds(1), seconds(30), 0.2});
  Rng rng(7);
  double low = 1e9;
  double high = 0;
  for (int i = 0; i < 200; ++i) {
    backoff.reset();
    double first = to_seconds(backoff.next(rng));
    low = std::min(low, first);
    high = std::max(high, first);
    EXPECT_GE(first, 0.8);
    EXPECT_LE(first, 1.2);
  }
  // Two hundred peers cut off together do not all come back in the same instant.
  EXPECT_GT(high - low, 0.2);
}

}  // namespace
}  // namespace p2p::napster
