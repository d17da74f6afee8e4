// A source and hundreds of DONet peers in SimNet: every peer joins and plays, continuity stays high after
// start-up, and the control overhead is measured.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "common/sim/sim_net.h"
#include "coolstreaming/peer.h"
#include "coolstreaming/server.h"
#include "coolstreaming/source.h"
#include "labs/launcher/link_profiles.h"

namespace p2p::coolstreaming {
namespace {

using sim::SimNet;

// Peers are on cable lines: 2 Mbit/s up, 10 Mbit/s down, 10 ms (labs/launcher/link_profiles.cpp), so each
// can upload the 500 kbit/s stream several times over. The source and the assist server sit on fibre.
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
  double free_riders = 0;  // share of peers with --no-upload, every other one from the first
  std::uint32_t peer_up_kbps = 2000;
  bool assist = false;  // a hybrid assist server beside the source
  // A lab's mix of lines ("adsl:60,cable:30,fibre:10"), dealt to the peers as the launcher deals them with
  // this seed; empty: every peer on a peer_up_kbps line with cable's downlink and latency.
  std::string lines{};
  std::uint64_t lines_seed = 1;
};

// The line of each peer: the profiles of `swarm.lines`, as labs/launcher/link_profiles.h assigns them.
std::vector<LinkConfig> peer_lines(const Swarm& swarm) {
  const LinkConfig uniform{std::uint64_t{swarm.peer_up_kbps} * 1000, 10'000'000,
                           std::chrono::milliseconds(10)};
  if (swarm.lines.empty()) return std::vector<LinkConfig>(swarm.peers, uniform);
  const auto profiles = labs::builtin_profiles();
  Rng rng(swarm.lines_seed);
  std::vector<LinkConfig> out;
  for (const std::string& name : labs::LinkMix::parse(swarm.lines, profiles)->assign(swarm.peers, rng)) {
    const labs::LinkProfile& line = profiles.at(name);
    out.push_back(LinkConfig{
        line.up_kbps * 1000, line.down_kbps * 1000,
        std::chrono::duration_cast<Duration>(std::chrono::duration<double, std::milli>(line.latency_ms))});
  }
  return out;
}

struct Figures {
  std::size_t playing = 0;
  double continuity_min = 1;
  double continuity_mean = 0;
  double continuity_all = 0;
  double control_overhead = 0;
  double server_share = 0;  // of the video bytes received, those from the assist server
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
  if (swarm.assist) {
    ServerConfig server{.source = net.endpoint(0), .window = 60, .upload_kbps = 40'000};
    net.add_node("server", kSourceLink,
                 [server](Runtime& rt) { return std::make_unique<Server>(rt, server); });
    net.run_for(std::chrono::milliseconds(100));  // announced before the first newcomer
  }
  const std::size_t first_peer = net.size();
  const std::vector<LinkConfig> lines = peer_lines(swarm);
  PeerConfig peer;
  peer.source = net.endpoint(0);
  peer.partnership.target = swarm.partners;
  peer.partnership.limit = 2 * swarm.partners;
  peer.window = 60;
  peer.startup = std::chrono::seconds(10);  // DONet's
  peer.overlay = swarm.overlay;
  const auto gap = std::chrono::duration_cast<Duration>(std::chrono::seconds(1)) /
                   static_cast<Duration::rep>(swarm.joining_per_second);
  const auto riders = static_cast<std::size_t>(swarm.free_riders * static_cast<double>(swarm.peers));
  for (std::size_t i = 0; i < swarm.peers; ++i) {
    PeerConfig config = peer;
    config.upload = !(i % 2 == 0 && i / 2 < riders);
    config.upload_kbps = static_cast<std::uint32_t>(lines[i].up_bps / 1000);  // as cs-peer takes --up-kbps
    net.add_node("peer-" + std::to_string(i), lines[i],
                 [config](Runtime& rt) { return std::make_unique<Peer>(rt, config); });
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
        const sim::NodeIndex victim = first_peer + rng.below(swarm.peers);
        net.kill(victim);
        net.restart(victim);
      }
    }
    net.run_for(std::chrono::seconds(15));  // the last newcomers start playing
  }

  Figures figures;
  std::uint64_t video = 0, control = 0, server = 0;
  for (std::size_t i = first_peer; i < first_peer + swarm.peers; ++i) {
    const Peer& p = net.core_as<Peer>(i);
    server += p.status()["server_bytes"].get<std::uint64_t>();
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
  // Over every peer, one that never played counting 0: what the audience as a whole saw.
  figures.continuity_all =
      figures.continuity_mean * static_cast<double>(figures.playing) / static_cast<double>(swarm.peers);
  figures.control_overhead = video == 0 ? 0 : static_cast<double>(control) / static_cast<double>(video);
  figures.server_share = video == 0 ? 0 : static_cast<double>(server) / static_cast<double>(video);
  figures.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf(
      "%s, %zu peers, M = %zu, churn %.0f %%, free riders %.0f %%%s: %zu playing, continuity mean %.4f "
      "(%.4f over all peers), min %.4f, control overhead %.2f %%, server bytes %.1f %%, wall %.1f s\n",
      swarm.overlay == Overlay::Tree ? "tree" : "mesh", swarm.peers, swarm.partners, 100 * swarm.churn_share,
      100 * swarm.free_riders, swarm.assist ? ", assist" : "", figures.playing, figures.continuity_mean,
      figures.continuity_all, figures.continuity_min, 100 * figures.control_overhead,
      100 * figures.server_share, figures.wall_s);
  return figures;
}

TEST(StreamSimTest, TwoHundredPeersWithFourPartnersPlayWithContinuityAboveNinetyEightPercent) {
  Figures figures = run_swarm(
      Swarm{.peers = 200, .joining_per_second = 20, .run = std::chrono::seconds(60), .partners = 4});
  EXPECT_EQ(figures.playing, 200u);
  EXPECT_GE(figures.continuity_mean, 0.98);
  EXPECT_LT(figures.control_overhead, 0.02);
  EXPECT_EQ(figures.rejected, 0u);
}

TEST(StreamSimTest, AThousandPeersWithFourPartnersPlayWithContinuityAboveNinetyEightPercent) {
  Figures figures = run_swarm(
      Swarm{.peers = 1000, .joining_per_second = 50, .run = std::chrono::seconds(60), .partners = 4});
  EXPECT_EQ(figures.playing, 1000u);
  EXPECT_GE(figures.continuity_mean, 0.98);
  EXPECT_LT(figures.control_overhead, 0.02);
  EXPECT_EQ(figures.rejected, 0u);
}

// baseline.ini's audience: 60 % of the peers on adsl lines, which upload half the stream, 30 % on cable, 10 %
// on fibre. The stream reaches everyone only if the source's few slots go to peers that can pass it on and
// the fibre lines take as many partners as they can feed (Source::takes_partner, Peer::learn_stream); with
// neither, the same swarm played at 0.71, with only the first at 0.82 and only the second at 0.988. Several
// deals of the lines, since the first arrivals decide who the source's partners are at first. A peer or two
// of 200 may not start within the minute: an adsl peer whose partners are all on adsl lines gets less than
// the stream's rate until refinement (every 30 s) finds it a stronger partner.
TEST(StreamSimTest, TwoHundredPeersOnTheLabsMixOfLinesPlayWithContinuityAboveNinetyNinePercent) {
  for (std::uint64_t seed : {1, 2, 3}) {
    Figures figures = run_swarm(Swarm{.peers = 200,
                                      .joining_per_second = 7,  // baseline.ini: 200 within 30 s
                                      .run = std::chrono::seconds(60),
                                      .partners = 4,
                                      .lines = "adsl:60,cable:30,fibre:10",
                                      .lines_seed = seed});
    EXPECT_GE(figures.playing, 196u) << "lines dealt with seed " << seed;
    EXPECT_GE(figures.continuity_mean, 0.99) << "lines dealt with seed " << seed;
  }
}

TEST(StreamSimTest, TwoHundredPeersInTheTreeBaselinePlayWithoutChurn) {
  Figures figures = run_swarm(Swarm{.peers = 200,
                                    .joining_per_second = 20,
                                    .run = std::chrono::seconds(60),
                                    .partners = 4,
                                    .overlay = Overlay::Tree});
  EXPECT_EQ(figures.playing, 200u);
  EXPECT_GE(figures.continuity_mean, 0.98);
  EXPECT_EQ(figures.rejected, 0u);
}

// The tree on baseline.ini's lines: only the 40 % on cable and fibre can forward a whole stream, and the
// first arrivals, likely on adsl, fill the source's slots. Forwarders take those slots from childless leaves
// (TreeRegistry::make_room_at_root), so the tree grows; without that, 4 of 200 peers played.
TEST(StreamSimTest, TwoHundredPeersInTheTreeOnTheLabsMixOfLinesPlay) {
  Figures figures = run_swarm(Swarm{.peers = 200,
                                    .joining_per_second = 7,
                                    .run = std::chrono::seconds(60),
                                    .partners = 4,
                                    .overlay = Overlay::Tree,
                                    .lines = "adsl:60,cable:30,fibre:10"});
  EXPECT_EQ(figures.playing, 200u);
  EXPECT_GE(figures.continuity_mean, 0.99);
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
  Figures mesh = run_swarm(churn);
  Swarm tree_churn = churn;
  tree_churn.overlay = Overlay::Tree;
  Figures tree = run_swarm(tree_churn);
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
  Figures alone = run_swarm(riders);
  Swarm assisted = riders;
  assisted.assist = true;
  Figures hybrid = run_swarm(assisted);
  EXPECT_GT(hybrid.playing, alone.playing);
  EXPECT_GT(hybrid.continuity_all, alone.continuity_all + 0.1);
  EXPECT_GT(hybrid.server_share, 0);
  EXPECT_EQ(alone.server_share, 0);
}

}  // namespace
}  // namespace p2p::coolstreaming
