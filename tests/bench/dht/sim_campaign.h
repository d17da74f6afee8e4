// The 10,000-node DHT lookup campaign of bench-dht: DhtCores in SimNet, timed on the wall clock.
#pragma once

#include <cstddef>
#include <cstdint>

namespace p2p::bench {

struct SimCampaignSettings {
  std::size_t nodes = 10'000;
  std::size_t lookups = 2'000;
  std::size_t concurrent = 100;  // lookups in flight at once, from different nodes
  std::uint64_t seed = 1;
};

// Builds the network (arrivals, then a bucket-refresh period), runs the lookups and prints build time,
// lookups per wall-clock second, hops and messages, the share that found the true k closest, and peak RSS.
void run_sim_campaign(const SimCampaignSettings& settings);

}  // namespace p2p::bench
