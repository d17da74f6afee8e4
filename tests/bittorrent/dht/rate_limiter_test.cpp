// The per-address query budget: a burst, then a steady rate, and a bounded number of addresses.
#include "bittorrent/dht/rate_limiter.h"

#include <gtest/gtest.h>

namespace p2p::bittorrent::dht {
namespace {

const TimePoint kStart{std::chrono::hours(1)};

int allowed(RateLimiter& limiter, std::uint32_t address, int tries, TimePoint now) {
  int count = 0;
  for (int i = 0; i < tries; ++i) count += limiter.allow(address, now) ? 1 : 0;
  return count;
}

TEST(RateLimiterTest, AllowsABurstThenTheSteadyRate) {
  RateLimiter limiter(RateLimiterConfig{10, 20, 100});
  EXPECT_EQ(allowed(limiter, 1, 50, kStart), 20);
  EXPECT_EQ(allowed(limiter, 1, 50, kStart + std::chrono::milliseconds(500)), 5);
  // Another address has its own budget.
  EXPECT_EQ(allowed(limiter, 2, 50, kStart), 20);
  // A long quiet spell refills the burst, never more.
  EXPECT_EQ(allowed(limiter, 1, 50, kStart + std::chrono::hours(1)), 20);
}

TEST(RateLimiterTest, ZeroPerSecondTurnsTheLimitOff) {
  RateLimiter limiter(RateLimiterConfig{0, 1, 1});
  EXPECT_EQ(allowed(limiter, 1, 1000, kStart), 1000);
  EXPECT_EQ(limiter.addresses(), 0u);
}

TEST(RateLimiterTest, TracksABoundedNumberOfAddresses) {
  RateLimiter limiter(RateLimiterConfig{1, 2, 3});
  for (std::uint32_t address = 1; address <= 3; ++address) EXPECT_EQ(allowed(limiter, address, 2, kStart), 2);
  // All three are spent: a fourth address is refused rather than tracked.
  EXPECT_FALSE(limiter.allow(4, kStart));
  EXPECT_EQ(limiter.addresses(), 3u);
  // Once their budgets are full again they are forgotten to make room.
  EXPECT_TRUE(limiter.allow(4, kStart + std::chrono::seconds(5)));
  EXPECT_EQ(limiter.addresses(), 1u);
}

}  // namespace
}  // namespace p2p::bittorrent::dht
