// Which node shares which catalogue files: replicas by popularity, with a fraction of free riders sharing
// nothing.
#include "common/content/placement.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "common/util/random.h"

namespace p2p::content {

std::size_t free_rider_count(std::size_t nodes, double fraction) {
  return static_cast<std::size_t>(std::llround(fraction * static_cast<double>(nodes)));
}

Expected<Placement> place_replicas(const Catalogue& catalogue, const PlacementConfig& config) {
  if (!(config.free_rider_fraction >= 0 && config.free_rider_fraction <= 1)) {
    return make_error("free_rider_fraction must be between 0 and 1");
  }
  Rng rng(config.seed);
  Placement out;
  out.shared.resize(config.nodes);
  out.free_rider.assign(config.nodes, false);
  out.replicas.assign(catalogue.size(), 0);

  // A random order of the nodes: the first ones are the free riders, the rest share.
  std::vector<std::size_t> order(config.nodes);
  std::iota(order.begin(), order.end(), std::size_t{0});
  rng.shuffle(order);
  const std::size_t riders = free_rider_count(config.nodes, config.free_rider_fraction);
  for (std::size_t k = 0; k < riders; ++k) out.free_rider[order[k]] = true;
  std::vector<std::size_t> sharers(order.begin() + static_cast<std::ptrdiff_t>(riders), order.end());
  if (sharers.empty()) return out;

  const double total = static_cast<double>(sharers.size() * config.files_per_node);
  for (const FileEntry& file : catalogue.files()) {
    const auto wanted = static_cast<std::size_t>(std::llround(file.popularity * total));
    const std::size_t count = std::clamp<std::size_t>(wanted, 1, sharers.size());
    // A partial Fisher-Yates shuffle: the first `count` sharers become a uniformly random set of distinct
    // nodes.
    for (std::size_t k = 0; k < count; ++k) {
      std::swap(sharers[k], sharers[k + rng.below(sharers.size() - k)]);
      out.shared[sharers[k]].push_back(file.index);
    }
    out.replicas[file.index] = count;
  }
  // Files were visited in index order, so every node's list is already ascending.
  return out;
}

}  // namespace p2p::content
