// The search bench-coolstreaming runs: sizes in order until one misses, then a bounded bisection.
#include "tests/bench/coolstreaming/audience_search.h"

#include <gtest/gtest.h>

#include <functional>
#include <vector>

namespace p2p::bench {
namespace {

// An audience that holds up to `limit` peers, recording the sizes it was asked about.
struct Machine {
  std::size_t limit;
  std::vector<std::size_t> tried;
  Verdict operator()(std::size_t peers) {
    tried.push_back(peers);
    return peers <= limit ? Verdict::Held : Verdict::Missed;
  }
};

TEST(AudienceSearchTest, StepsUpToTheFirstMissThenHalvesTheGapOnMultiplesOfFive) {
  Machine machine{130, {}};
  SearchResult result = search_audience({200, 50, 100}, 2, std::ref(machine));
  EXPECT_EQ(machine.tried, (std::vector<std::size_t>{50, 100, 200, 150, 125}));
  EXPECT_EQ(result.largest_held, 125u);
  EXPECT_EQ(result.first_missed, 150u);
  EXPECT_FALSE(result.stopped);
}

TEST(AudienceSearchTest, WhenEverySizeHoldsNothingMissed) {
  Machine machine{1000, {}};
  SearchResult result = search_audience({50, 100}, 3, std::ref(machine));
  EXPECT_EQ(machine.tried, (std::vector<std::size_t>{50, 100}));
  EXPECT_EQ(result.largest_held, 100u);
  EXPECT_EQ(result.first_missed, 0u);
}

TEST(AudienceSearchTest, WhenTheSmallestMissesItBisectsBelowIt) {
  Machine machine{10, {}};
  SearchResult result = search_audience({50, 100}, 2, std::ref(machine));
  EXPECT_EQ(machine.tried, (std::vector<std::size_t>{50, 25, 15}));
  EXPECT_EQ(result.largest_held, 0u);
  EXPECT_EQ(result.first_missed, 15u);
}

TEST(AudienceSearchTest, AStoppedMeasurementEndsTheSearch) {
  std::vector<std::size_t> tried;
  SearchResult result = search_audience({50, 100, 200}, 2, [&](std::size_t peers) {
    tried.push_back(peers);
    return peers < 100 ? Verdict::Held : Verdict::Stopped;
  });
  EXPECT_EQ(tried, (std::vector<std::size_t>{50, 100}));
  EXPECT_EQ(result.largest_held, 50u);
  EXPECT_TRUE(result.stopped);
}

}  // namespace
}  // namespace p2p::bench
