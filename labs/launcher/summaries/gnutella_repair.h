// Gnutella after SIGKILLs (issue 18, chaos runs): whether the surviving servents re-formed their overlay.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

namespace p2p::labs {

// Figures for a run where some servent was killed, nothing otherwise. A survivor is a servent not killed for
// good (node_runs.h); its degree at the end is the `neighbours` of its last neighbour_up or neighbour_down
// event before the lab's teardown (lab_ending), when every node starts leaving:
//   survivors                 servents alive at the end
//   survivors_isolated        of those, the ones with no neighbour (or that never had one)
//   survivor_neighbours_mean  their mean degree
nlohmann::json gnutella_repair_figures(const std::vector<nlohmann::json>& records);

}  // namespace p2p::labs
