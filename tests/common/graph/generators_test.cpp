// Tests of the graph generators: degrees, connectivity, determinism, and refusals with a reason.
#include "common/graph/generators.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace p2p::graph {
namespace {

bool connected(const Graph& graph) {
  std::set<std::size_t> seen = {0};
  std::vector<std::size_t> stack = {0};
  while (!stack.empty()) {
    std::size_t v = stack.back();
    stack.pop_back();
    for (std::size_t w : graph[v]) {
      if (seen.insert(w).second) stack.push_back(w);
    }
  }
  return seen.size() == graph.size();
}

// No loop, no double edge, and every edge listed at both ends.
bool simple(const Graph& graph) {
  for (std::size_t v = 0; v < graph.size(); ++v) {
    std::set<std::size_t> distinct(graph[v].begin(), graph[v].end());
    if (distinct.size() != graph[v].size() || distinct.contains(v)) return false;
    for (std::size_t w : graph[v]) {
      if (std::count(graph[w].begin(), graph[w].end(), v) != 1) return false;
    }
  }
  return true;
}

std::size_t edges(const Graph& graph) {
  std::size_t ends = 0;
  for (const auto& adjacent : graph) ends += adjacent.size();
  return ends / 2;
}

TEST(GraphGeneratorsTest, ARingGivesEveryNodeItsTwoNeighbours) {
  Graph ring = ring_graph(5).value();
  EXPECT_EQ(ring[0], (std::vector<std::size_t>{1, 4}));
  EXPECT_EQ(ring[3], (std::vector<std::size_t>{2, 4}));
  EXPECT_TRUE(simple(ring));
  EXPECT_TRUE(connected(ring));
  EXPECT_FALSE(ring_graph(2).ok());
}

TEST(GraphGeneratorsTest, ARandomRegularGraphIsSimpleConnectedAndRegular) {
  for (std::size_t d : {2u, 3u, 4u, 8u}) {
    SCOPED_TRACE("degree " + std::to_string(d));
    auto graph = random_regular_graph(200, d, 7);
    ASSERT_TRUE(graph.ok()) << graph.reason();
    for (const auto& adjacent : *graph) EXPECT_EQ(adjacent.size(), d);
    EXPECT_TRUE(simple(*graph));
    EXPECT_TRUE(connected(*graph));
  }
}

TEST(GraphGeneratorsTest, ARandomRegularGraphReplaysFromItsSeedAndDiffersAcrossSeeds) {
  EXPECT_EQ(random_regular_graph(50, 4, 3).value(), random_regular_graph(50, 4, 3).value());
  EXPECT_NE(random_regular_graph(50, 4, 3).value(), random_regular_graph(50, 4, 4).value());
}

TEST(GraphGeneratorsTest, ImpossibleRegularGraphsAreRefusedWithAReason) {
  EXPECT_FALSE(random_regular_graph(5, 3, 1).ok());  // 15 half-edges cannot pair up
  EXPECT_FALSE(random_regular_graph(4, 4, 1).ok());  // degree must stay below the node count
  EXPECT_FALSE(random_regular_graph(4, 0, 1).ok());
  EXPECT_FALSE(random_regular_graph(kMaxGraphNodes + 2, 2, 1).ok());
  // The complete graph is the only 3-regular graph on 4 nodes, and the pairing finds it.
  Graph k4 = random_regular_graph(4, 3, 1).value();
  EXPECT_EQ(edges(k4), 6u);
}

TEST(GraphGeneratorsTest, ABarabasiAlbertGraphGrowsByMEdgesPerNodeIntoAPowerLaw) {
  // 1000 nodes with m = 2: a triangle, then two edges per newcomer.
  Graph graph = barabasi_albert_graph(1000, 2, 5).value();
  EXPECT_EQ(edges(graph), 3u + 997u * 2u);
  EXPECT_TRUE(simple(graph));
  EXPECT_TRUE(connected(graph));
  std::size_t max_degree = 0;
  for (const auto& adjacent : graph) {
    EXPECT_GE(adjacent.size(), 2u);
    max_degree = std::max(max_degree, adjacent.size());
  }
  // Preferential attachment makes hubs: a random regular graph of the same mean degree has none this large.
  EXPECT_GE(max_degree, 30u);
  EXPECT_EQ(graph, barabasi_albert_graph(1000, 2, 5).value());
  EXPECT_FALSE(barabasi_albert_graph(3, 3, 1).ok());
  EXPECT_FALSE(barabasi_albert_graph(10, 0, 1).ok());
}

}  // namespace
}  // namespace p2p::graph
