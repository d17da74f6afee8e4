// Tests of arrival processes and churn draws: their shapes, their means, and that a seed replays them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "labs/launcher/arrivals.h"
#include "labs/launcher/churn.h"

namespace p2p::labs {
namespace {

TEST(ArrivalsTest, StartBringsEveryNodeAtZero) {
  Rng rng(1);
  auto times = arrival_times(*ArrivalSpec::parse("start"), 5, rng);
  EXPECT_EQ(times, std::vector<double>(5, 0.0));
}

TEST(ArrivalsTest, PoissonGapsAverageOneOverTheRate) {
  // 4000 joins at 2 per second: the last arrives near 2000 s, and the gaps average 0.5 s.
  Rng rng(9);
  auto times = arrival_times(*ArrivalSpec::parse("poisson:2"), 4000, rng);
  ASSERT_EQ(times.size(), 4000u);
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
  EXPECT_GT(times.front(), 0);
  EXPECT_NEAR(times.back() / 4000, 0.5, 0.03);
}

TEST(ArrivalsTest, AFlashCrowdArrivesWithinItsWindow) {
  Rng rng(2);
  auto times = arrival_times(*ArrivalSpec::parse("flash:10"), 100, rng);
  ASSERT_EQ(times.size(), 100u);
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
  EXPECT_GE(times.front(), 0);
  EXPECT_LT(times.back(), 10);
  // Spread over the window, not bunched at one end.
  EXPECT_LT(times[10], 3);
  EXPECT_GT(times[90], 7);
}

TEST(ArrivalsTest, ADecayingBurstHalvesItsRateEveryTauLnTwo) {
  // 4000 joins whose rate falls as exp(-t/20): the mean join time is 20 s, half join within 20 ln 2 = 13.9 s,
  // and each later stretch of 13.9 s brings half as many as the one before.
  Rng rng(3);
  auto times = arrival_times(*ArrivalSpec::parse("decay:20"), 4000, rng);
  ASSERT_EQ(times.size(), 4000u);
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
  EXPECT_GE(times.front(), 0);
  EXPECT_NEAR(std::accumulate(times.begin(), times.end(), 0.0) / 4000, 20, 1);
  double half_life = 20 * std::log(2.0);
  auto joined_by = [&](double t) { return std::lower_bound(times.begin(), times.end(), t) - times.begin(); };
  EXPECT_NEAR(joined_by(half_life), 2000, 100);
  EXPECT_NEAR(joined_by(2 * half_life) - joined_by(half_life), 1000, 80);
  EXPECT_NEAR(joined_by(3 * half_life) - joined_by(2 * half_life), 500, 60);
}

TEST(ArrivalsTest, TheSameSeedGivesTheSameArrivals) {
  Rng a(77), b(77);
  auto spec = *ArrivalSpec::parse("poisson:0.5");
  EXPECT_EQ(arrival_times(spec, 50, a), arrival_times(spec, 50, b));
}

TEST(ArrivalsTest, ATraceGivesItsOwnTimesSortedWhateverTheCount) {
  auto times = parse_trace("# joins\n3.5\n\n1\n  2 # the second one\n");
  ASSERT_TRUE(times) << times.reason();
  ArrivalSpec spec = *ArrivalSpec::parse("trace:joins.txt");
  EXPECT_EQ(spec.trace_file, "joins.txt");
  spec.trace = *times;
  Rng rng(1);
  EXPECT_EQ(arrival_times(spec, 99, rng), (std::vector<double>{1, 2, 3.5}));
}

TEST(ArrivalsTest, RefusesMalformedSpecsAndTraces) {
  for (const char* bad : {"poisson", "poisson:0", "poisson:-1", "flash:x", "decay", "decay:0", "decay:-5",
                          "trace:", "start:3", "later"}) {
    EXPECT_FALSE(ArrivalSpec::parse(bad)) << bad;
  }
  EXPECT_FALSE(parse_trace("1\nsoon\n"));
  EXPECT_FALSE(parse_trace("-2\n"));
}

TEST(ChurnTest, NoSessionMeansNoDeparture) {
  ChurnSpec churn;
  Rng rng(1);
  EXPECT_FALSE(draw_departure(churn, rng));
}

TEST(ChurnTest, ExponentialSessionsHaveTheirMeanAndGracefulTheirShare) {
  ChurnSpec churn{*Distribution::parse("exp:60"), 0.3, *Distribution::parse("none")};
  Rng rng(4);
  double total = 0;
  int graceful = 0;
  const int n = 5000;
  for (int i = 0; i < n; ++i) {
    auto d = draw_departure(churn, rng);
    ASSERT_TRUE(d);
    EXPECT_GE(d->after, 0);
    EXPECT_FALSE(d->rejoin_after);
    total += d->after;
    graceful += d->graceful;
  }
  EXPECT_NEAR(total / n, 60, 3);
  EXPECT_NEAR(static_cast<double>(graceful) / n, 0.3, 0.02);
}

TEST(ChurnTest, ParetoSessionsAreHeavyTailedAboveTheirMinimum) {
  // Shape 1.5, minimum 10: never below 10, median 10 * 2^(1/1.5) = 15.9, and a few sessions ten times that.
  auto pareto = Distribution::parse("pareto:1.5:10");
  ASSERT_TRUE(pareto) << pareto.reason();
  Rng rng(8);
  std::vector<double> draws;
  for (int i = 0; i < 4001; ++i) draws.push_back(pareto->draw(rng));
  EXPECT_GE(*std::min_element(draws.begin(), draws.end()), 10);
  std::nth_element(draws.begin(), draws.begin() + 2000, draws.end());
  EXPECT_NEAR(draws[2000], 15.9, 1.0);
  EXPECT_GT(*std::max_element(draws.begin(), draws.end()), 159);
}

TEST(ChurnTest, FixedAndUniformStayInTheirBounds) {
  Rng rng(3);
  EXPECT_EQ(Distribution::parse("fixed:12")->draw(rng), 12);
  auto uniform = *Distribution::parse("uniform:5:7");
  for (int i = 0; i < 100; ++i) {
    double d = uniform.draw(rng);
    EXPECT_GE(d, 5);
    EXPECT_LE(d, 7);
  }
}

TEST(ChurnTest, RejoinsAreDrawnAndASeedReplaysEverything) {
  ChurnSpec churn{*Distribution::parse("uniform:10:20"), 0.5, *Distribution::parse("fixed:3")};
  Rng a(11), b(11);
  for (int i = 0; i < 20; ++i) {
    auto x = draw_departure(churn, a);
    auto y = draw_departure(churn, b);
    ASSERT_TRUE(x && y);
    EXPECT_EQ(x->after, y->after);
    EXPECT_EQ(x->graceful, y->graceful);
    EXPECT_EQ(x->rejoin_after, std::optional<double>(3));
  }
}

TEST(ChurnTest, RefusesMalformedDistributions) {
  for (const char* bad :
       {"exp", "exp:0", "fixed:-3", "uniform:5", "uniform:7:5", "pareto:0:1", "weibull:1:1", ""}) {
    EXPECT_FALSE(Distribution::parse(bad)) << bad;
  }
}

}  // namespace
}  // namespace p2p::labs
