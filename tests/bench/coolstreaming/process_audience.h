// bench-coolstreaming's process half: baseline.ini run by the real launcher (`p2plab run`) with ever more
// cs-peer processes, reading continuity from each run's summary.json and the CPU the lab and the machine
// spent meanwhile.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tests/bench/coolstreaming/audience_search.h"

namespace p2p::bench {

struct ProcessSettings {
  std::string scenario = P2P_COOLSTREAMING_SCENARIO;
  std::vector<std::size_t> sizes{50, 100, 200};
  int bisect = 2;
  int runs = 1;           // seeds 1, 2, ...; the medians are reported
  double duration = 120;  // seconds of each lab: baseline.ini's
  double goal = 0.99;     // continuity_mean, with every peer playing: the scenario's own goal
  bool keep = false;      // keep every run folder, not only those of failed runs
};

// Prints one line per size tried and a verdict on what limited the largest that held.
SearchResult run_process_audiences(const ProcessSettings& s);

}  // namespace p2p::bench
