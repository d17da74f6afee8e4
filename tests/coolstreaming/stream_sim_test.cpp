// A source and hundreds of DONet peers in SimNet: every peer joins and plays, continuity stays high after
// start-up, and the control overhead is measured.
#include <gtest/gtest.h>

#include <chrono>

#include "tests/coolstreaming/stream_swarm.h"

namespace p2p::coolstreaming {
namespace {

// Runs the swarm and logs its figures beside the test's verdict.
SwarmFigures run_and_print(const Swarm& swarm) {
  SwarmFigures figures = run_swarm(swarm);
  print_swarm(swarm, figures);
  return figures;
}

TEST(StreamSimTest, TwoHundredPeersWithFourPartnersPlayWithContinuityAboveNinetyEightPercent) {
  SwarmFigures figures = run_and_print(
      Swarm{.peers = 200, .joining_per_second = 20, .run = std::chrono::seconds(60), .partners = 4});
  EXPECT_EQ(figures.playing, 200u);
  EXPECT_GE(figures.continuity_mean, 0.98);
  EXPECT_LT(figures.control_overhead, 0.02);
  EXPECT_EQ(figures.rejected, 0u);
}

TEST(StreamSimTest, AThousandPeersWithFourPartnersPlayWithContinuityAboveNinetyEightPercent) {
  SwarmFigures figures = run_and_print(
      Swarm{.peers = 1000, .joining_per_second = 50, .run = std::chrono::seconds(60), .partners = 4});
  EXPECT_EQ(figures.playing, 1000u);
  EXPECT_GE(figures.continuity_mean, 0.98);
  EXPECT_LT(figures.control_overhead, 0.02);
  EXPECT_EQ(figures.rejected, 0u);
}

TEST(StreamSimTest, TwoHundredPeersInTheTreeBaselinePlayWithoutChurn) {
  SwarmFigures figures = run_and_print(Swarm{.peers = 200,
                                             .joining_per_second = 20,
                                             .run = std::chrono::seconds(60),
                                             .partners = 4,
                                             .overlay = Overlay::Tree});
  EXPECT_EQ(figures.playing, 200u);
  EXPECT_GE(figures.continuity_mean, 0.98);
  EXPECT_EQ(figures.rejected, 0u);
}

// Seed 000's first act: the tree breaks under churn, as every departure cuts off a subtree until it rejoins,
// while the mesh's other partners keep supplying.
TEST(StreamSimTest, UnderChurnTheMeshKeepsAHigherContinuityThanTheTree) {
  const Swarm churn{.peers = 200,
                    .joining_per_second = 20,
                    .run = std::chrono::seconds(60),
                    .partners = 4,
                    .overlay = Overlay::Mesh,
                    .churn_share = 0.1,
                    .churn_every = std::chrono::seconds(20)};
  SwarmFigures mesh = run_and_print(churn);
  Swarm tree_churn = churn;
  tree_churn.overlay = Overlay::Tree;
  SwarmFigures tree = run_and_print(tree_churn);
  EXPECT_GT(mesh.continuity_all, tree.continuity_all);
  EXPECT_GE(mesh.continuity_all, 0.97);
}

// Seed 000's third act: with half the peers not uploading and the others on 1 Mbit/s, the upload left barely
// carries the stream; the assist server fills what partners cannot deliver in time.
TEST(StreamSimTest, WithHalfThePeersNotUploadingTheAssistServerRaisesContinuity) {
  const Swarm riders{.peers = 200,
                     .joining_per_second = 20,
                     .run = std::chrono::seconds(60),
                     .partners = 4,
                     .overlay = Overlay::Mesh,
                     .churn_share = 0,
                     .churn_every = std::chrono::seconds(20),
                     .free_riders = 0.5,
                     .peer_up_kbps = 1000,
                     .assist = false};
  SwarmFigures alone = run_and_print(riders);
  Swarm assisted = riders;
  assisted.assist = true;
  SwarmFigures hybrid = run_and_print(assisted);
  EXPECT_GT(hybrid.playing, alone.playing);
  EXPECT_GT(hybrid.continuity_all, alone.continuity_all + 0.1);
  EXPECT_GT(hybrid.server_share, 0);
  EXPECT_EQ(alone.server_share, 0);
}

}  // namespace
}  // namespace p2p::coolstreaming
