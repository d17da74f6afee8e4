// Lookups across 1,000 simulated nodes, each answering find_node from its own routing table: the lookup
// must end on the true k closest nodes, checked against a sort of every id, with a small number of queries.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "bittorrent/dht/lookup.h"
#include "bittorrent/dht/routing_table.h"
#include "common/util/median.h"

namespace p2p::bittorrent::dht {
namespace {

constexpr std::size_t kNodes = 1000;
const TimePoint kNow{};

// Every node's table is filled with every other node, in random order, as if all had answered it once: each
// keeps what BEP 5's buckets allow, many contacts near its own id and few far from it.
class Network {
 public:
  explicit Network(std::uint64_t seed) : rng_(seed) {
    for (std::size_t i = 0; i < kNodes; ++i) {
      NodeInfo info{NodeId::random(rng_),
                    Endpoint::from_ipv4(0x0a000001 + static_cast<std::uint32_t>(i), 6881)};
      index_.emplace(info.id, i);
      nodes_.push_back(Node{info, RoutingTable(RoutingTableConfig{info.id, kBucketSize}), true});
    }
    std::vector<std::size_t> order(kNodes);
    for (std::size_t i = 0; i < kNodes; ++i) order[i] = i;
    for (Node& node : nodes_) {
      rng_.shuffle(order);
      for (std::size_t other : order) node.table.on_response(nodes_[other].info, kNow);
    }
  }

  // A `fraction` of the nodes, never `origin`, stop answering. Every table but the origin's has already
  // failed to reach them twice, so they are bad there (BEP 5) and left out of answers; the origin has not
  // noticed yet and will have to time them out.
  void kill_fraction(double fraction, std::size_t origin) {
    std::vector<NodeId> dead;
    for (std::size_t i = 0; i < kNodes; ++i) {
      if (i == origin || !rng_.chance(fraction)) continue;
      nodes_[i].alive = false;
      dead.push_back(nodes_[i].info.id);
    }
    for (std::size_t i = 0; i < kNodes; ++i) {
      if (i == origin) continue;
      for (const NodeId& id : dead) {
        for (int attempt = 0; attempt < kFailuresUntilBad; ++attempt) nodes_[i].table.on_timeout(id, kNow);
      }
    }
  }

  // Runs a lookup from node `from` for `target`, answering each query at once or, from a dead node, with a
  // timeout. Returns the lookup once it is done.
  Lookup lookup(std::size_t from, const NodeId& target) {
    const Node& origin = nodes_[from];
    Lookup lookup(LookupConfig{target, origin.info.id, kBucketSize, kAlpha},
                  origin.table.closest(target, kBucketSize, kNow));
    for (int round = 0; !lookup.done(); ++round) {
      EXPECT_LT(round, 1000) << "the lookup does not converge";
      if (round >= 1000) break;
      for (const NodeInfo& asked : lookup.next_queries()) {
        const Node& node = nodes_[index_.at(asked.id)];
        if (node.alive) {
          lookup.on_response(asked.id, node.table.closest(target, kBucketSize, kNow));
        } else {
          lookup.on_timeout(asked.id);
          ++timeouts_;
        }
      }
    }
    return lookup;
  }

  // The k live nodes closest to `target` other than `from`, by sorting them all.
  std::vector<NodeId> true_closest(std::size_t from, const NodeId& target) const {
    std::vector<NodeId> ids;
    for (std::size_t i = 0; i < kNodes; ++i) {
      if (i != from && nodes_[i].alive) ids.push_back(nodes_[i].info.id);
    }
    std::ranges::sort(ids, [&](const NodeId& a, const NodeId& b) { return closer(target, a, b); });
    ids.resize(kBucketSize);
    return ids;
  }

  Rng& rng() { return rng_; }
  int timeouts() const { return timeouts_; }

 private:
  struct Node {
    NodeInfo info;
    RoutingTable table;
    bool alive;
  };

  Rng rng_;
  std::vector<Node> nodes_;
  std::map<NodeId, std::size_t> index_;
  int timeouts_ = 0;
};

std::vector<NodeId> ids_of(const std::vector<NodeInfo>& nodes) {
  std::vector<NodeId> out;
  out.reserve(nodes.size());
  for (const NodeInfo& node : nodes) out.push_back(node.id);
  return out;
}

TEST(LookupNetworkTest, FindsTheTrueKClosestOfAThousandNodes) {
  Network network(2026);
  std::vector<double> queries;
  for (int i = 0; i < 50; ++i) {
    auto from = static_cast<std::size_t>(network.rng().below(kNodes));
    NodeId target = NodeId::random(network.rng());
    Lookup lookup = network.lookup(from, target);
    EXPECT_EQ(ids_of(lookup.closest_answered()), network.true_closest(from, target)) << "lookup " << i;
    queries.push_back(static_cast<double>(lookup.queries_sent()));
  }
  // A flood would ask all 999 others. The lookup must hear from the k closest, and with tables that know
  // their own neighbourhood well it asks few more than those.
  EXPECT_LE(median(queries).value(), 2.0 * kBucketSize);
}

TEST(LookupNetworkTest, FindsTheClosestLiveNodesWhenAFifthHaveDied) {
  Network network(7);
  network.kill_fraction(0.2, 0);
  for (int i = 0; i < 20; ++i) {
    NodeId target = NodeId::random(network.rng());
    Lookup lookup = network.lookup(0, target);
    EXPECT_EQ(ids_of(lookup.closest_answered()), network.true_closest(0, target)) << "lookup " << i;
  }
  EXPECT_GT(network.timeouts(), 0);
}

}  // namespace
}  // namespace p2p::bittorrent::dht
