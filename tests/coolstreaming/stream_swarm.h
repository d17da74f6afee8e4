// A CoolStreaming swarm in SimNet, as the sim tests and bench-coolstreaming build it: a source, optionally
// the hybrid's assist server, and peers arriving at a steady rate, with churn and free riders to taste.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/util/time.h"
#include "coolstreaming/peer.h"

namespace p2p::coolstreaming {

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
  bool assist = false;     // a hybrid assist server beside the source
  std::uint64_t seed = 7;  // SimNet's, from which every core's randomness is drawn
  // A lab's mix of lines ("adsl:60,cable:30,fibre:10"), dealt to the peers as the launcher deals them with
  // this seed; empty: every peer on a peer_up_kbps line with cable's downlink and latency.
  std::string lines{};
  std::uint64_t lines_seed = 1;
};

struct SwarmFigures {
  std::size_t playing = 0;
  double continuity_min = 1;
  double continuity_mean = 0;
  double continuity_p10 = 0;  // nearest rank, as the lab summary's (labs/launcher/summaries/coolstreaming.h)
  double continuity_all = 0;
  double control_overhead = 0;
  double server_share = 0;  // of the video bytes received, those from the assist server
  std::uint64_t rejected = 0;
  double virtual_s = 0;  // the swarm's time on SimNet's clock, arrivals included
  double wall_s = 0;     // and on this machine's
};

// Builds the swarm, runs it to the end and reads every peer's player and counters.
SwarmFigures run_swarm(const Swarm& swarm);

// One line naming the swarm and its figures, for a test's or a benchmark's log.
void print_swarm(const Swarm& swarm, const SwarmFigures& figures);

}  // namespace p2p::coolstreaming
