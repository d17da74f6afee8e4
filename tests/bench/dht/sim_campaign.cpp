// 10,000 DhtCores in SimNet: join, refresh, then lookups from random nodes for random targets.
#include "tests/bench/dht/sim_campaign.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <memory>

#include "bittorrent/dht/dht_core.h"
#include "common/sim/sim_net.h"
#include "tests/bench/bench_util.h"

namespace p2p::bench {
namespace {

using bittorrent::dht::DhtCore;
using bittorrent::dht::DhtCoreConfig;
using bittorrent::dht::LookupResult;
using bittorrent::dht::NodeId;

const LinkConfig kLink{0, 0, std::chrono::milliseconds(20), 0};

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024;  // kilobytes on Linux
}

// The ids the true k closest to `target` have, by a partial sort of all of them.
std::vector<NodeId> true_closest(const std::vector<NodeId>& ids, const NodeId& target, const NodeId& except) {
  std::vector<NodeId> sorted;
  sorted.reserve(ids.size());
  for (const NodeId& id : ids) {
    if (id != except) sorted.push_back(id);
  }
  std::size_t k = std::min(bittorrent::dht::kBucketSize, sorted.size());
  std::partial_sort(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(k), sorted.end(),
                    [&](const NodeId& a, const NodeId& b) { return bittorrent::dht::closer(target, a, b); });
  sorted.resize(k);
  return sorted;
}

}  // namespace

void run_sim_campaign(const SimCampaignSettings& s) {
  auto start = std::chrono::steady_clock::now();
  sim::SimNet net(s.seed);
  DhtCoreConfig config;
  config.tick = std::chrono::seconds(1);  // timeouts are 2 s: a coarser tick only delays retries a little
  for (std::size_t i = 0; i < s.nodes; ++i) {
    if (i == 1) config.bootstrap = {net.endpoint(0)};
    net.add_node("dht-" + std::to_string(i), kLink,
                 [config](Runtime& runtime) { return std::make_unique<DhtCore>(runtime, config); });
    net.run_for(std::chrono::milliseconds(20));
  }
  net.run_for(bittorrent::dht::kRefreshAfter + std::chrono::minutes(1));
  double build_s = seconds_since(start);
  std::vector<NodeId> ids;
  for (std::size_t i = 0; i < s.nodes; ++i) ids.push_back(net.core_as<DhtCore>(i).node().id());
  std::cout << std::fixed << std::setprecision(1) << "network: " << s.nodes
            << " nodes joined and refreshed in " << build_s << " s wall ("
            << to_seconds(net.now().time_since_epoch()) << " s virtual), peak RSS " << peak_rss_mib()
            << " MiB" << std::endl;

  Rng rng(s.seed + 1);
  std::size_t started = 0, finished = 0, exact = 0;
  std::vector<double> hops, messages;
  auto launch = [&] {
    auto from = static_cast<sim::NodeIndex>(rng.below(s.nodes));
    NodeId target = NodeId::random(rng);
    NodeId own = ids[from];
    ++started;
    net.core_as<DhtCore>(from).node().find_node(target, net.now(), [&, target, own](const LookupResult& r) {
      ++finished;
      std::vector<NodeId> got;
      for (const auto& node : r.closest) got.push_back(node.id);
      if (got == true_closest(ids, target, own)) ++exact;
      hops.push_back(static_cast<double>(r.hops));
      messages.push_back(static_cast<double>(r.messages));
    });
  };
  auto campaign = std::chrono::steady_clock::now();
  TimePoint virtual_start = net.now();
  // Keeps `concurrent` lookups running: each round waits for one to end (or, at the end, for all).
  while (finished < s.lookups && !interrupted()) {
    while (started < s.lookups && started - finished < s.concurrent) launch();
    std::size_t waiting_for = std::min(finished + 1, s.lookups);
    if (!net.run_until([&] { return finished >= waiting_for; }, std::chrono::minutes(5))) break;
  }
  double campaign_s = seconds_since(campaign);
  std::cout << std::setprecision(0) << "lookups: " << finished << " in " << std::setprecision(2) << campaign_s
            << " s wall (" << to_seconds(net.now() - virtual_start) << " s virtual, " << s.concurrent
            << " at once): " << std::setprecision(0) << static_cast<double>(finished) / campaign_s
            << " lookups per wall-clock second\n"
            << std::setprecision(1) << "  found the true k closest: "
            << 100.0 * static_cast<double>(exact) / static_cast<double>(std::max<std::size_t>(finished, 1))
            << " %; hops median " << median(hops) << ", messages median " << median(messages) << "; peak RSS "
            << peak_rss_mib() << " MiB" << std::endl;
}

}  // namespace p2p::bench
