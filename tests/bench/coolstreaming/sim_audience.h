// bench-coolstreaming's SimNet half: the swarm of the sim tests (tests/coolstreaming/stream_swarm.h) grown
// until its continuity drops, each run in a child process of its own so that its peak RSS is its own.
#pragma once

#include <cstddef>
#include <vector>

#include "tests/bench/coolstreaming/audience_search.h"

namespace p2p::bench {

struct SimSettings {
  std::vector<std::size_t> sizes{250, 500, 1000, 2000, 4000};  // the last is the cap
  int bisect = 0;
  int runs = 3;               // seeds 7, 8, ...; the medians are reported
  double minutes = 1;         // of stream after the last arrival
  double goal = 0.99;         // continuity_mean, with every peer playing
  double run_limit_s = 1800;  // a run still going by then is stopped, and so is the search
};

// Prints one line per size tried and the largest that held.
SearchResult run_sim_audiences(const SimSettings& s);

}  // namespace p2p::bench
