// Which node shares which catalogue files: replicas by popularity, with a fraction of free riders sharing
// nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/content/catalogue.h"
#include "common/util/expected.h"

namespace p2p::content {

struct PlacementConfig {
  std::size_t nodes = 0;
  std::size_t files_per_node =
      10;  // mean replicas a sharing node holds; the total is sharers * files_per_node
  double free_rider_fraction = 0;  // in [0, 1]; Adar and Huberman (2000) found about 0.7 on Gnutella
  std::uint64_t seed = 1;
};

struct Placement {
  std::vector<std::vector<std::size_t>> shared;  // shared[node]: the file indices it shares, ascending
  std::vector<bool> free_rider;                  // free_rider[node]: shares nothing by design
  std::vector<std::size_t> replicas;             // replicas[file]: how many nodes share it
};

// The number of free riders among `nodes`: fraction * nodes rounded to the nearest whole node (halves round
// up), so 0.25 of 10 nodes is 3 and 0.5 of 5 is 3.
std::size_t free_rider_count(std::size_t nodes, double fraction);

// Decides where replicas live. A file gets replicas in proportion to its popularity, as downloads make
// popular files spread (Saroiu et al., MMCN 2002): round(popularity * total), at least 1 so that every file
// can be found, and at most one per sharing node. Free riders and each file's sharers are drawn at random
// from the seed, so the same config always gives the same placement. With no sharing node at all, nothing is
// placed.
Expected<Placement> place_replicas(const Catalogue& catalogue, const PlacementConfig& config);

}  // namespace p2p::content
