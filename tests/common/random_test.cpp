// Rng: the same seed gives the same run; draws stay in range and look uniform.
#include "common/util/random.h"

#include <gtest/gtest.h>

namespace p2p {
namespace {

TEST(RngTest, TheSameSeedReplaysTheSameDraws) {
  Rng a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    auto x = a.next();
    EXPECT_EQ(x, b.next());
    EXPECT_NE(x, c.next());
  }
}

TEST(RngTest, NodeStreamsDifferByIndex) {
  EXPECT_NE(Rng::for_node(7, 0).next(), Rng::for_node(7, 1).next());
  EXPECT_EQ(Rng::for_node(7, 3).next(), Rng::for_node(7, 3).next());
}

TEST(RngTest, BelowIsInRangeAndRoughlyUniform) {
  Rng rng(1);
  int counts[10] = {};
  for (int i = 0; i < 100000; ++i) {
    auto v = rng.below(10);
    ASSERT_LT(v, 10u);
    ++counts[v];
  }
  for (int c : counts) EXPECT_NEAR(c, 10000, 500);
}

TEST(RngTest, ExponentialHasTheRequestedMean) {
  Rng rng(5);
  double sum = 0;
  for (int i = 0; i < 100000; ++i) sum += rng.exponential(3.0);
  EXPECT_NEAR(sum / 100000, 3.0, 0.05);
}

}  // namespace
}  // namespace p2p
