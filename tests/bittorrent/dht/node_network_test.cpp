// Sixty-four DHT nodes wired to each other in memory, datagrams delivered in the order sent: bootstrap
// through one node, then lookups that find the true k closest, and an announce that a get_peers finds.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <map>
#include <memory>

#include "bittorrent/dht/node.h"

namespace p2p::bittorrent::dht {
namespace {

constexpr std::size_t kNodes = 64;

class Wire {
 public:
  Wire() {
    for (std::size_t i = 0; i < kNodes; ++i) {
      Endpoint at = Endpoint::from_ipv4(0x0a000001 + static_cast<std::uint32_t>(i), 6881);
      NodeConfig config{NodeId::random(rng_), kBucketSize, kAlpha, {}, {}, {}, "PL01"};
      nodes_.emplace(at, std::make_unique<Node>(config, rng_, now_, [this, at](const Endpoint& to, Bytes b) {
                       queue_.push_back({at, to, std::move(b)});
                     }));
      order_.push_back(at);
    }
  }

  // Delivers until nothing is in flight (each datagram takes no time).
  void drain() {
    for (int i = 0; i < 1'000'000 && !queue_.empty(); ++i) {
      Datagram next = std::move(queue_.front());
      queue_.pop_front();
      if (auto it = nodes_.find(next.to); it != nodes_.end())
        it->second->on_datagram(next.from, next.bytes, now_);
    }
    ASSERT_TRUE(queue_.empty());
  }

  Node& at(std::size_t i) { return *nodes_.at(order_[i]); }
  const Endpoint& endpoint(std::size_t i) const { return order_[i]; }

  std::vector<NodeId> true_closest(const NodeId& target, const NodeId& except) const {
    std::vector<NodeId> ids;
    for (const auto& [endpoint, node] : nodes_) {
      if (node->id() != except) ids.push_back(node->id());
    }
    std::ranges::sort(ids, [&](const NodeId& a, const NodeId& b) { return closer(target, a, b); });
    ids.resize(kBucketSize);
    return ids;
  }

  Rng rng_{11};
  TimePoint now_{std::chrono::hours(1)};

 private:
  struct Datagram {
    Endpoint from, to;
    Bytes bytes;
  };
  std::map<Endpoint, std::unique_ptr<Node>> nodes_;
  std::vector<Endpoint> order_;
  std::deque<Datagram> queue_;
};

std::vector<NodeId> ids_of(const std::vector<NodeInfo>& nodes) {
  std::vector<NodeId> out;
  for (const NodeInfo& node : nodes) out.push_back(node.id);
  return out;
}

TEST(NodeNetworkTest, BootstrappedNodesFindTheTrueClosestAndEachOthersPeers) {
  Wire wire;
  // Each node joins through node 0 in turn, and a second round lets the early ones learn the late ones.
  for (int round = 0; round < 2; ++round) {
    for (std::size_t i = 1; i < kNodes; ++i) {
      wire.at(i).bootstrap({wire.endpoint(0)}, wire.now_);
      wire.drain();
    }
  }
  for (int i = 0; i < 20; ++i) {
    auto from = static_cast<std::size_t>(wire.rng_.below(kNodes));
    NodeId target = NodeId::random(wire.rng_);
    std::optional<LookupResult> result;
    wire.at(from).find_node(target, wire.now_, [&](const LookupResult& r) { result = r; });
    wire.drain();
    ASSERT_TRUE(result);
    EXPECT_EQ(ids_of(result->closest), wire.true_closest(target, wire.at(from).id())) << "lookup " << i;
    EXPECT_GE(result->hops, 1u);
    EXPECT_GE(result->messages, kBucketSize);
    ASSERT_FALSE(result->path.empty());
    EXPECT_EQ(result->path.back(), result->closest.front());
  }

  NodeId torrent = NodeId::random(wire.rng_);
  std::optional<LookupResult> announced, found;
  wire.at(5).announce(torrent, 9999, false, wire.now_, [&](const LookupResult& r) { announced = r; });
  wire.drain();
  ASSERT_TRUE(announced);
  EXPECT_EQ(announced->announced, kBucketSize);
  wire.at(40).get_peers(torrent, wire.now_, [&](const LookupResult& r) { found = r; });
  wire.drain();
  ASSERT_TRUE(found);
  EXPECT_EQ(found->peers, (std::vector<Endpoint>{{wire.endpoint(5).host, 9999}}));
}

}  // namespace
}  // namespace p2p::bittorrent::dht
