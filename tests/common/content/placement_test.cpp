// Placement: free riders share nothing, popular files get more replicas, every file has a sharer.
#include "common/content/placement.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

namespace p2p::content {
namespace {

Catalogue make_catalogue(std::size_t files) {
  return Catalogue::generate({.files = files, .seed = 3}).value();
}

TEST(PlacementTest, FreeRiderCountRoundsToTheNearestNode) {
  EXPECT_EQ(free_rider_count(10, 0.0), 0u);
  EXPECT_EQ(free_rider_count(10, 0.25), 3u);  // 2.5 rounds up
  EXPECT_EQ(free_rider_count(10, 0.24), 2u);
  EXPECT_EQ(free_rider_count(100, 0.7), 70u);
  EXPECT_EQ(free_rider_count(7, 1.0), 7u);
}

TEST(PlacementTest, ExactlyTheFreeRiderFractionSharesNothing) {
  Catalogue cat = make_catalogue(200);
  Placement p = place_replicas(cat, {.nodes = 40, .files_per_node = 10, .free_rider_fraction = 0.7}).value();

  // 0.7 of 40 nodes is 28 free riders, with empty folders; the other 12 all share something.
  ASSERT_EQ(p.shared.size(), 40u);
  EXPECT_EQ(std::ranges::count(p.free_rider, true), 28);
  for (std::size_t node = 0; node < 40; ++node) {
    EXPECT_EQ(p.shared[node].empty(), p.free_rider[node]) << "node " << node;
    EXPECT_TRUE(std::ranges::is_sorted(p.shared[node]));
  }
}

TEST(PlacementTest, PopularFilesGetMoreReplicas) {
  Catalogue cat = make_catalogue(100);
  Placement p = place_replicas(cat, {.nodes = 50, .files_per_node = 20}).value();

  // Walking from rank 1 down, the replica count never rises, and rank 1 has many more than the last rank.
  std::vector<std::size_t> by_rank(cat.size());
  for (const FileEntry& f : cat.files()) by_rank[f.rank - 1] = p.replicas[f.index];
  EXPECT_TRUE(std::ranges::is_sorted(by_rank, std::greater<>()));
  EXPECT_GE(by_rank.front(), 5 * by_rank.back());

  // Each count is what the folders hold: a file listed by `replicas[f]` distinct nodes.
  std::vector<std::size_t> counted(cat.size());
  for (const auto& files : p.shared) {
    for (std::size_t f : files) ++counted[f];
  }
  EXPECT_EQ(counted, p.replicas);
}

TEST(PlacementTest, EveryFileHasASharerEvenWhenSlotsAreScarce) {
  // 500 files but only 2 sharers with 10 slots each: every file still gets its one replica.
  Catalogue cat = make_catalogue(500);
  Placement p = place_replicas(cat, {.nodes = 4, .files_per_node = 10, .free_rider_fraction = 0.5}).value();
  for (std::size_t r : p.replicas) {
    EXPECT_GE(r, 1u);
    EXPECT_LE(r, 2u);  // never more replicas than sharing nodes
  }
}

TEST(PlacementTest, OnlyFreeRidersMeansNothingIsShared) {
  Catalogue cat = make_catalogue(20);
  Placement p = place_replicas(cat, {.nodes = 5, .free_rider_fraction = 1.0}).value();
  for (const auto& files : p.shared) EXPECT_TRUE(files.empty());
  EXPECT_EQ(std::accumulate(p.replicas.begin(), p.replicas.end(), std::size_t{0}), 0u);
}

TEST(PlacementTest, TheSameSeedGivesTheSamePlacement) {
  Catalogue cat = make_catalogue(100);
  PlacementConfig config{.nodes = 30, .files_per_node = 8, .free_rider_fraction = 0.3, .seed = 12};
  Placement a = place_replicas(cat, config).value(), b = place_replicas(cat, config).value();
  EXPECT_EQ(a.shared, b.shared);
  EXPECT_EQ(a.free_rider, b.free_rider);
  config.seed = 13;
  EXPECT_NE(place_replicas(cat, config)->shared, a.shared);
}

TEST(PlacementTest, RefusesAFractionOutsideZeroToOne) {
  Catalogue cat = make_catalogue(10);
  EXPECT_EQ(place_replicas(cat, {.nodes = 5, .free_rider_fraction = 1.5}).reason(),
            "free_rider_fraction must be between 0 and 1");
}

}  // namespace
}  // namespace p2p::content
