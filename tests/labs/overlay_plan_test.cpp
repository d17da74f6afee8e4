// Tests of role topologies: reading role.NAME.topology, and whom a starting node dials in each of them.
#include "labs/launcher/overlay_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <utility>

namespace p2p::labs {
namespace {

using Kind = TopologySpec::Kind;
using Dial = std::optional<std::vector<std::size_t>>;

RoleOverlay overlay(const std::string& spec, std::size_t nodes, std::uint64_t seed = 1) {
  auto parsed = TopologySpec::parse(spec);
  EXPECT_TRUE(parsed) << parsed.reason();
  auto made = RoleOverlay::make(*parsed, nodes, seed);
  EXPECT_TRUE(made) << made.reason();
  return std::move(made).value();
}

TEST(TopologySpecTest, ReadsEachFormAndNamesMistakes) {
  EXPECT_EQ(TopologySpec::parse("none")->kind, Kind::None);
  EXPECT_EQ(TopologySpec::parse("ring")->kind, Kind::Ring);
  auto regular = TopologySpec::parse("regular:4");
  ASSERT_TRUE(regular) << regular.reason();
  EXPECT_EQ(regular->kind, Kind::Regular);
  EXPECT_EQ(regular->links, 4u);
  EXPECT_EQ(TopologySpec::parse("ba:2")->kind, Kind::BarabasiAlbert);
  EXPECT_EQ(TopologySpec::parse("random:3")->links, 3u);

  EXPECT_NE(TopologySpec::parse("star").reason().find("star"), std::string::npos);
  EXPECT_NE(TopologySpec::parse("regular").reason().find("regular:4"), std::string::npos);
  EXPECT_FALSE(TopologySpec::parse("regular:x"));
  EXPECT_FALSE(TopologySpec::parse("ba:0"));
}

TEST(RoleOverlayTest, RefusesAGraphThatCannotBeDrawn) {
  // 5 nodes of degree 3 would have 7.5 edges.
  EXPECT_FALSE(RoleOverlay::make(*TopologySpec::parse("regular:3"), 5, 1));
  EXPECT_FALSE(RoleOverlay::make(*TopologySpec::parse("ring"), 2, 1));
}

TEST(RoleOverlayTest, OnlyRingRegularAndBarabasiAlbertDrawAGraph) {
  for (const char* spec : {"ring", "regular:2", "ba:2"})
    EXPECT_EQ(overlay(spec, 10, 1).graph().size(), 10u) << spec;
  // random:K has no graph: every node of the role joins like a newcomer.
  EXPECT_TRUE(overlay("random:3", 10, 1).graph().empty());
}

TEST(RoleOverlayTest, TheSeedGivesTheGraph) {
  EXPECT_EQ(overlay("regular:4", 50, 7).graph(), overlay("regular:4", 50, 7).graph());
  EXPECT_NE(overlay("regular:4", 50, 7).graph(), overlay("regular:4", 50, 8).graph());
  EXPECT_EQ(overlay("ba:2", 50, 7).graph(), graph::barabasi_albert_graph(50, 2, 7).value());
}

TEST(RoleOverlayTest, ANodeDialsItsListeningGraphNeighboursAndWaitsForStartingOnes) {
  // A ring of 5: node 2's neighbours are 1 and 3.
  RoleOverlay ring = overlay("ring", 5);
  Rng rng(1);
  std::vector<PeerState> peers(5, PeerState::Stopped);

  // Node 0 starts first: no one to dial (the servent gets --neighbours "").
  EXPECT_EQ(ring.to_dial(0, peers, rng), Dial(std::vector<std::size_t>{}));
  // While node 1 starts, node 2 waits: it will know node 1's endpoint in a moment.
  peers[1] = PeerState::Starting;
  EXPECT_EQ(ring.to_dial(2, peers, rng), std::nullopt);
  // A node that is not a neighbour does not hold it up.
  peers[1] = PeerState::Stopped;
  peers[0] = PeerState::Starting;
  EXPECT_EQ(ring.to_dial(2, peers, rng), Dial(std::vector<std::size_t>{}));
  // Neighbours listening are dialled; a stopped one will dial node 2 itself when it starts.
  peers = {PeerState::Listening, PeerState::Listening, PeerState::Stopped, PeerState::Stopped,
           PeerState::Listening};
  EXPECT_EQ(ring.to_dial(2, peers, rng), Dial(std::vector<std::size_t>{1}));
  EXPECT_EQ(ring.to_dial(0, peers, rng), Dial(std::vector<std::size_t>{1, 4}));
}

TEST(RoleOverlayTest, StartingInAnyOrderDialsEveryEdgeExactlyOnce) {
  // Whatever order the nodes start in, each edge is dialled by its later end, and only by it, so the
  // servents' links are exactly the graph.
  RoleOverlay graph = overlay("regular:4", 40, 3);
  std::vector<std::size_t> order(40);
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  Rng shuffle(9);
  shuffle.shuffle(order);

  std::vector<PeerState> peers(40, PeerState::Stopped);
  std::set<std::pair<std::size_t, std::size_t>> dialled;
  Rng rng(1);
  for (std::size_t v : order) {
    Dial dial = graph.to_dial(v, peers, rng);
    ASSERT_TRUE(dial);  // nobody is starting: every node listens before the next starts
    for (std::size_t w : *dial) EXPECT_TRUE(dialled.insert(std::minmax(v, w)).second);
    peers[v] = PeerState::Listening;
  }
  std::set<std::pair<std::size_t, std::size_t>> edges;
  for (std::size_t v = 0; v < 40; ++v) {
    for (std::size_t w : graph.graph()[v]) edges.insert(std::minmax(v, w));
  }
  EXPECT_EQ(dialled, edges);
}

TEST(RoleOverlayTest, NodesStartInWavesNotOneAfterAnother) {
  // All 201 nodes of a ring due at once: a pass starts every node whose neighbours are not starting, then
  // each wave listens. An odd ring needs 3 waves (it cannot be 2-coloured), not 201.
  RoleOverlay ring = overlay("ring", 201);
  std::vector<PeerState> peers(201, PeerState::Stopped);
  std::vector<bool> started(201, false);
  Rng rng(1);
  int waves = 0;
  while (std::find(started.begin(), started.end(), false) != started.end() && waves < 10) {
    ++waves;
    for (std::size_t v = 0; v < 201; ++v) {
      if (started[v] || !ring.to_dial(v, peers, rng)) continue;
      started[v] = true;
      peers[v] = PeerState::Starting;
    }
    for (PeerState& p : peers) {
      if (p == PeerState::Starting) p = PeerState::Listening;
    }
  }
  EXPECT_EQ(waves, 3);
}

TEST(RoleOverlayTest, RandomPicksKListeningNodesAndTheFirstNodesWaitForEachOther) {
  RoleOverlay random = overlay("random:3", 10);
  Rng rng(5);
  std::vector<PeerState> peers(10, PeerState::Stopped);
  // The first node has no one to start from and starts alone.
  EXPECT_EQ(random.to_dial(0, peers, rng), Dial(std::vector<std::size_t>{}));
  // The second waits for the first to listen rather than be an island.
  peers[0] = PeerState::Starting;
  EXPECT_EQ(random.to_dial(1, peers, rng), std::nullopt);
  peers[0] = PeerState::Listening;
  EXPECT_EQ(random.to_dial(1, peers, rng), Dial(std::vector<std::size_t>{0}));

  // With more nodes listening: K distinct ones, all listening, never itself.
  for (std::size_t i = 0; i < 8; ++i) peers[i] = PeerState::Listening;
  Dial picks = random.to_dial(3, peers, rng);
  ASSERT_TRUE(picks);
  EXPECT_EQ(picks->size(), 3u);
  EXPECT_EQ(std::set<std::size_t>(picks->begin(), picks->end()).size(), 3u);
  for (std::size_t w : *picks) {
    EXPECT_NE(w, 3u);
    EXPECT_EQ(peers[w], PeerState::Listening);
  }
}

TEST(RoleOverlayTest, NodesSpawnedBeyondTheGraphJoinLikeNewcomers) {
  // A ring of 5 and a sixth node spawned later: it dials 2 random listening nodes.
  RoleOverlay ring = overlay("ring", 5);
  std::vector<PeerState> peers(6, PeerState::Listening);
  Rng rng(2);
  Dial dial = ring.to_dial(5, peers, rng);
  ASSERT_TRUE(dial);
  EXPECT_EQ(dial->size(), 2u);
  for (std::size_t w : *dial) EXPECT_LT(w, 5u);
}

}  // namespace
}  // namespace p2p::labs
