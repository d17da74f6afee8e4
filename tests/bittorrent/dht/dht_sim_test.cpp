// A thousand DhtCores in SimNet: each joins through the first, then lookups for random targets must end on
// the true k closest node ids (checked against a sort of every id by XOR distance), also after a fifth of
// the nodes have died. Prints the hops and messages of the lookups (the lab's lookup_hops_median and
// lookup_messages_median).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>

#include "bittorrent/dht/dht_core.h"
#include "common/sim/sim_net.h"
#include "common/util/median.h"

namespace p2p::bittorrent::dht {
namespace {

using sim::NodeIndex;
using sim::SimNet;

constexpr std::size_t kNodes = 1000;
const LinkConfig kLink{0, 0, std::chrono::milliseconds(10), 0};

class DhtSim {
 public:
  explicit DhtSim(std::uint64_t seed) : net_(seed), rng_(seed) {
    for (std::size_t i = 0; i < kNodes; ++i) {
      DhtCoreConfig config;
      if (i > 0) config.bootstrap = {net_.endpoint(0)};
      net_.add_node("dht-" + std::to_string(i), kLink,
                    [config](Runtime& runtime) { return std::make_unique<DhtCore>(runtime, config); });
      net_.run_for(std::chrono::milliseconds(50));  // arrivals over 50 s
    }
    EXPECT_TRUE(net_.run_until(
        [&] {
          for (std::size_t i = 0; i < kNodes; ++i)
            if (!core(i).joined()) return false;
          return true;
        },
        std::chrono::seconds(60)));
    // The early nodes joined a small network: their first bucket refresh, 15 minutes on, lets them meet
    // the rest.
    net_.run_for(kRefreshAfter + std::chrono::minutes(1));
  }

  DhtCore& core(NodeIndex i) { return net_.core_as<DhtCore>(i); }

  // A lookup from `from` for `target`, run to its end.
  std::optional<LookupResult> lookup(NodeIndex from, const NodeId& target) {
    std::optional<LookupResult> result;
    core(from).node().find_node(target, net_.now(), [&](const LookupResult& r) { result = r; });
    net_.run_until([&] { return result.has_value(); }, std::chrono::seconds(120));
    return result;
  }

  // The k closest ids of live nodes other than `from`, by sorting them all.
  std::vector<NodeId> true_closest(NodeIndex from, const NodeId& target) {
    std::vector<NodeId> ids;
    for (std::size_t i = 0; i < kNodes; ++i) {
      if (i != from && net_.alive(i)) ids.push_back(core(i).node().id());
    }
    std::ranges::sort(ids, [&](const NodeId& a, const NodeId& b) { return closer(target, a, b); });
    ids.resize(kBucketSize);
    return ids;
  }

  NodeIndex random_live_node() {
    while (true) {
      auto i = static_cast<NodeIndex>(rng_.below(kNodes));
      if (net_.alive(i)) return i;
    }
  }

  SimNet net_;
  Rng rng_;
};

std::vector<NodeId> ids_of(const std::vector<NodeInfo>& nodes) {
  std::vector<NodeId> out;
  for (const NodeInfo& node : nodes) out.push_back(node.id);
  return out;
}

struct Campaign {
  int exact = 0;
  std::vector<double> hops, messages;
};

Campaign run_lookups(DhtSim& sim, int count) {
  Campaign campaign;
  for (int i = 0; i < count; ++i) {
    NodeIndex from = sim.random_live_node();
    NodeId target = NodeId::random(sim.rng_);
    auto result = sim.lookup(from, target);
    if (!result) {
      ADD_FAILURE() << "lookup " << i << " did not end";
      continue;
    }
    if (ids_of(result->closest) == sim.true_closest(from, target)) ++campaign.exact;
    campaign.hops.push_back(static_cast<double>(result->hops));
    campaign.messages.push_back(static_cast<double>(result->messages));
  }
  return campaign;
}

void print(const char* what, const Campaign& campaign, int count) {
  std::printf("%s: %d/%d lookups found the true %zu closest; hops median %.1f, messages median %.1f\n", what,
              campaign.exact, count, kBucketSize, median(campaign.hops).value_or(0),
              median(campaign.messages).value_or(0));
}

TEST(DhtSimTest, LookupsAmongAThousandNodesFindTheTrueKClosest) {
  DhtSim sim(2026);
  constexpr int kLookups = 50;
  Campaign campaign = run_lookups(sim, kLookups);
  print("1000 nodes", campaign, kLookups);
  EXPECT_EQ(campaign.exact, kLookups);
  // log2(1000) is about 10: a lookup converges in a few hops and a few dozen messages.
  EXPECT_LE(median(campaign.hops).value(), 6);
  EXPECT_LE(median(campaign.messages).value(), 60);
}

TEST(DhtSimTest, LookupsStillSucceedWithAFifthOfTheNodesGone) {
  DhtSim sim(7);
  for (std::size_t i = 1; i < kNodes; ++i) {
    if (sim.rng_.chance(0.2)) sim.net_.kill(i);
  }
  constexpr int kLookups = 30;
  Campaign campaign = run_lookups(sim, kLookups);
  print("1000 nodes, 20 % gone", campaign, kLookups);
  EXPECT_GE(campaign.exact, kLookups * 9 / 10);
}

}  // namespace
}  // namespace p2p::bittorrent::dht
