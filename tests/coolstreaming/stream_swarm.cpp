// The swarm of stream_swarm.h: built in SimNet on the lab's links, run, and read peer by peer.
#include "tests/coolstreaming/stream_swarm.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "common/sim/sim_net.h"
#include "common/util/percentile.h"
#include "coolstreaming/server.h"
#include "coolstreaming/source.h"
#include "labs/launcher/link_profiles.h"

namespace p2p::coolstreaming {
namespace {

using sim::SimNet;

// Without a mix of lines, peers are on cable-like lines: peer_up_kbps up (2 Mbit/s by default), 10 Mbit/s
// down, 10 ms (labs/launcher/link_profiles.cpp), so each can upload the 500 kbit/s stream several times
// over. The source and the assist server sit on fibre.
constexpr LinkConfig kSourceLink{50'000'000, 100'000'000, std::chrono::milliseconds(2)};

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

}  // namespace

SwarmFigures run_swarm(const Swarm& swarm) {
  auto started = std::chrono::steady_clock::now();
  SimNet net(swarm.seed);
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

  SwarmFigures figures;
  std::uint64_t video = 0, control = 0, server = 0;
  std::vector<double> continuity;
  for (std::size_t i = first_peer; i < first_peer + swarm.peers; ++i) {
    const Peer& p = net.core_as<Peer>(i);
    server += p.status()["server_bytes"].get<std::uint64_t>();
    video += p.received().video;
    control += p.received().control;
    figures.rejected += p.rejected();
    if (!p.player() || !p.player()->continuity()) continue;
    continuity.push_back(*p.player()->continuity());
    figures.continuity_min = std::min(figures.continuity_min, continuity.back());
    figures.continuity_mean += continuity.back();
  }
  figures.playing = continuity.size();
  if (figures.playing > 0) figures.continuity_mean /= static_cast<double>(figures.playing);
  figures.continuity_p10 = percentile(std::move(continuity), 0.1).value_or(0);
  // Over every peer, one that never played counting 0: what the audience as a whole saw.
  figures.continuity_all =
      figures.continuity_mean * static_cast<double>(figures.playing) / static_cast<double>(swarm.peers);
  figures.control_overhead = video == 0 ? 0 : static_cast<double>(control) / static_cast<double>(video);
  figures.server_share = video == 0 ? 0 : static_cast<double>(server) / static_cast<double>(video);
  figures.virtual_s = seconds_since_epoch(net.now());
  figures.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return figures;
}

void print_swarm(const Swarm& swarm, const SwarmFigures& figures) {
  std::printf(
      "%s, %zu peers, M = %zu, churn %.0f %%, free riders %.0f %%%s: %zu playing, continuity mean %.4f "
      "(%.4f over all peers), min %.4f, control overhead %.2f %%, server bytes %.1f %%, wall %.1f s\n",
      swarm.overlay == Overlay::Tree ? "tree" : "mesh", swarm.peers, swarm.partners, 100 * swarm.churn_share,
      100 * swarm.free_riders, swarm.assist ? ", assist" : "", figures.playing, figures.continuity_mean,
      figures.continuity_all, figures.continuity_min, 100 * figures.control_overhead,
      100 * figures.server_share, figures.wall_s);
}

}  // namespace p2p::coolstreaming
