// A source and hundreds of DONet peers in SimNet: every peer joins and plays, continuity stays high after
// start-up, and the control overhead is measured.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "common/sim/sim_net.h"
#include "coolstreaming/peer.h"
#include "coolstreaming/source.h"

namespace p2p::coolstreaming {
namespace {

using sim::SimNet;

// A cable line: 2 Mbit/s up, 10 Mbit/s down, 10 ms (labs/launcher/link_profiles.cpp), so every peer can
// upload the 500 kbit/s stream several times over. The source sits on fibre.
constexpr LinkConfig kPeerLink{2'000'000, 10'000'000, std::chrono::milliseconds(10)};
constexpr LinkConfig kSourceLink{50'000'000, 100'000'000, std::chrono::milliseconds(2)};

struct Swarm {
  std::size_t peers = 0;
  std::size_t joining_per_second = 20;  // peers arrive at this rate
  Duration run = std::chrono::seconds(60);
  std::size_t partners = 4;  // M
  Overlay overlay = Overlay::Mesh;
  // Churn: every `churn_every`, this share of the peers is killed and replaced by a newcomer at its address.
  double churn_share = 0;
  Duration churn_every = std::chrono::seconds(20);
};

struct Figures {
  std::size_t playing = 0;
  double continuity_min = 1;
  double continuity_mean = 0;
  double control_overhead = 0;
  std::uint64_t rejected = 0;
  double wall_s = 0;
};

Figures run_swarm(const Swarm& swarm) {
  auto started = std::chrono::steady_clock::now();
  SimNet net(7);
  SourceConfig source;
  source.window = 60;
  source.max_partners = 4;
  source.joins.capacity = 50;
  net.add_node("source", kSourceLink, [source](Runtime& rt) { return std::make_unique<Source>(rt, source); });
  PeerConfig peer;
  peer.source = net.endpoint(0);
  peer.partnership.target = swarm.partners;
  peer.partnership.limit = 2 * swarm.partners;
  peer.window = 60;
  peer.startup = std::chrono::seconds(10);  // DONet's
  peer.upload_kbps = 2000;
  peer.overlay = swarm.overlay;
  const auto gap = std::chrono::duration_cast<Duration>(std::chrono::seconds(1)) /
                   static_cast<Duration::rep>(swarm.joining_per_second);
  for (std::size_t i = 1; i <= swarm.peers; ++i) {
    net.add_node("peer-" + std::to_string(i), kPeerLink,
                 [peer](Runtime& rt) { return std::make_unique<Peer>(rt, peer); });
    net.run_for(gap);
  }
  if (swarm.churn_share == 0) {
    net.run_for(swarm.run);
  } else {
    Rng rng(11);
    const auto replaced = static_cast<std::size_t>(swarm.churn_share * static_cast<double>(swarm.peers));
    for (Duration ran{0}; ran < swarm.run; ran += swarm.churn_every) {
      net.run_for(swarm.churn_every);
      for (std::size_t k = 0; k < replaced; ++k) {
        const sim::NodeIndex victim = 1 + rng.below(swarm.peers);
        net.kill(victim);
        net.restart(victim);
      }
    }
    net.run_for(std::chrono::seconds(15));  // the last newcomers start playing
  }

  Figures figures;
  std::uint64_t video = 0, control = 0;
  for (std::size_t i = 1; i <= swarm.peers; ++i) {
    const Peer& p = net.core_as<Peer>(i);
    video += p.received().video;
    control += p.received().control;
    figures.rejected += p.rejected();
    if (!p.player() || !p.player()->continuity()) continue;
    ++figures.playing;
    const double c = *p.player()->continuity();
    figures.continuity_min = std::min(figures.continuity_min, c);
    figures.continuity_mean += c;
  }
  if (figures.playing > 0) figures.continuity_mean /= static_cast<double>(figures.playing);
  figures.control_overhead = video == 0 ? 0 : static_cast<double>(control) / static_cast<double>(video);
  figures.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("%s, %zu peers, M = %zu, churn %.0f %%: %zu playing, continuity mean %.4f, min %.4f, control overhead %.2f %%, "
              "wall %.1f s\n",
              swarm.overlay == Overlay::Tree ? "tree" : "mesh", swarm.peers, swarm.partners,
              100 * swarm.churn_share, figures.playing, figures.continuity_mean, figures.continuity_min,
              100 * figures.control_overhead, figures.wall_s);
  return figures;
}

TEST(StreamSimTest, TwoHundredPeersWithFourPartnersPlayWithContinuityAboveNinetyEightPercent) {
  Figures figures = run_swarm(Swarm{.peers = 200, .joining_per_second = 20, .run = std::chrono::seconds(60),
                                    .partners = 4});
  EXPECT_EQ(figures.playing, 200u);
  EXPECT_GE(figures.continuity_mean, 0.98);
  EXPECT_LT(figures.control_overhead, 0.02);
  EXPECT_EQ(figures.rejected, 0u);
}

TEST(StreamSimTest, AThousandPeersWithFourPartnersPlayWithContinuityAboveNinetyEightPercent) {
  Figures figures = run_swarm(Swarm{.peers = 1000, .joining_per_second = 50, .run = std::chrono::seconds(60),
                                    .partners = 4});
  EXPECT_EQ(figures.playing, 1000u);
  EXPECT_GE(figures.continuity_mean, 0.98);
  EXPECT_LT(figures.control_overhead, 0.02);
  EXPECT_EQ(figures.rejected, 0u);
}

TEST(StreamSimTest, TwoHundredPeersInTheTreeBaselinePlayWithoutChurn) {
  Figures figures = run_swarm(Swarm{.peers = 200, .joining_per_second = 20, .run = std::chrono::seconds(60),
                                    .partners = 4, .overlay = Overlay::Tree});
  EXPECT_EQ(figures.playing, 200u);
  EXPECT_GE(figures.continuity_mean, 0.98);
  EXPECT_EQ(figures.rejected, 0u);
}

// Seed 000's first act: the tree breaks under churn, as every departure cuts off a subtree until it rejoins,
// while the mesh's other partners keep supplying.
TEST(StreamSimTest, UnderChurnTheMeshKeepsAHigherContinuityThanTheTree) {
  const Swarm churn{.peers = 200, .joining_per_second = 20, .run = std::chrono::seconds(60), .partners = 4,
                    .overlay = Overlay::Mesh, .churn_share = 0.1, .churn_every = std::chrono::seconds(20)};
  Figures mesh = run_swarm(churn);
  Swarm tree_churn = churn;
  tree_churn.overlay = Overlay::Tree;
  Figures tree = run_swarm(tree_churn);
  EXPECT_GT(mesh.continuity_mean, tree.continuity_mean);
  EXPECT_GE(mesh.continuity_mean, 0.97);
}

}  // namespace
}  // namespace p2p::coolstreaming
