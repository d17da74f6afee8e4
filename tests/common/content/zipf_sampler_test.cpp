// ZipfSampler: draws follow the weights, so rank 1 comes up as often as Zipf's law says.
#include "common/content/zipf_sampler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

namespace p2p::content {
namespace {

TEST(ZipfWeightsTest, FollowThePowerLawAndSumToOne) {
  // Zipf(1) over 4 ranks: 1, 1/2, 1/3, 1/4, divided by their sum 25/12.
  std::vector<double> w = zipf_weights(4, 1.0);
  EXPECT_NEAR(w[0], 12.0 / 25, 1e-12);
  EXPECT_NEAR(w[3], 3.0 / 25, 1e-12);
  EXPECT_NEAR(std::accumulate(w.begin(), w.end(), 0.0), 1.0, 1e-12);
  // alpha = 0 means every rank is equally popular.
  for (double x : zipf_weights(5, 0.0)) EXPECT_DOUBLE_EQ(x, 0.2);
}

TEST(ZipfSamplerTest, DrawsRankOneAsOftenAsTheoryPredicts) {
  // 1,000 files at alpha 0.8: rank r should come up weights[r - 1] of 200,000 draws. Each count is binomial,
  // so it stays within four standard deviations of that unless the sampler is biased.
  const std::vector<double> weights = zipf_weights(1000, 0.8);
  ZipfSampler sampler(weights);
  Rng rng(7);
  constexpr int kDraws = 200'000;
  std::vector<int> counts(weights.size());
  for (int i = 0; i < kDraws; ++i) ++counts[sampler.draw(rng)];

  auto four_sigma = [&](double p) { return 4 * std::sqrt(kDraws * p * (1 - p)); };
  for (std::size_t rank : {1u, 2u, 10u}) {
    const double p = weights[rank - 1];
    EXPECT_NEAR(counts[rank - 1], p * kDraws, four_sigma(p)) << "rank " << rank;
  }
  // The top ten ranks get the share the weights give them, too.
  const double top_ten = std::accumulate(weights.begin(), weights.begin() + 10, 0.0);
  EXPECT_NEAR(std::accumulate(counts.begin(), counts.begin() + 10, 0), top_ten * kDraws, four_sigma(top_ten));
}

TEST(ZipfSamplerTest, TakesUnnormalisedWeightsAndNeverDrawsAZeroWeight) {
  // Weights 1 : 0 : 3 mean a quarter of draws are index 0, none index 1, three quarters index 2.
  const std::vector<double> weights = {1.0, 0.0, 3.0};
  ZipfSampler sampler(weights);
  Rng rng(3);
  int counts[3] = {};
  for (int i = 0; i < 40'000; ++i) ++counts[sampler.draw(rng)];
  EXPECT_NEAR(counts[0], 10'000, 400);
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(counts[2], 30'000, 400);
}

TEST(ZipfSamplerTest, TheSameSeedDrawsTheSameSequence) {
  ZipfSampler sampler(zipf_weights(100, 0.8));
  Rng a(11), b(11);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(sampler.draw(a), sampler.draw(b));
}

}  // namespace
}  // namespace p2p::content
