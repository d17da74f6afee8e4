// The routing table of a DHT node (BEP 5, "Routing Table"): k-buckets over the id space, split only around
// the node's own id, holding good nodes in preference to questionable and bad ones.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "bittorrent/dht/compact.h"
#include "bittorrent/dht/node_id.h"
#include "common/util/random.h"
#include "common/util/time.h"

namespace p2p::bittorrent::dht {

// BEP 5: "Each bucket can only hold K nodes, currently eight".
inline constexpr std::size_t kBucketSize = 8;
// BEP 5: a node is good if it answered us "within the last 15 minutes"; "after 15 minutes of inactivity, a
// node becomes questionable".
inline constexpr Duration kGoodFor = std::chrono::minutes(15);
// BEP 5: nodes become bad "when they fail to respond to multiple queries in a row"; it suggests trying a
// silent node "once more before discarding" it, so the second failure in a row makes it bad.
inline constexpr int kFailuresUntilBad = 2;
// BEP 5: "Buckets that have not been changed in 15 minutes should be refreshed".
inline constexpr Duration kRefreshAfter = std::chrono::minutes(15);

enum class NodeStatus { Good, Questionable, Bad };

// What the table knows of one node: when it last answered us, when it last queried us, and how many of our
// queries in a row went unanswered.
struct NodeEntry {
  NodeInfo info;
  TimePoint
      last_seen;  // its last answer or query, or when it was added: a bucket's least-recently-seen order
  std::optional<TimePoint> last_response;
  std::optional<TimePoint> last_query;
  int failed_queries = 0;

  // BEP 5: good if it answered within 15 minutes, or has ever answered and queried us within 15 minutes;
  // bad after kFailuresUntilBad failures in a row; questionable otherwise.
  NodeStatus status(TimePoint now) const;
};

struct Bucket {
  std::vector<NodeEntry> nodes;  // at most bucket_size
  // Nodes that found the bucket full while a questionable node was being pinged: the newest takes the place
  // of the first node that turns bad. At most bucket_size, oldest dropped first.
  std::vector<NodeEntry> replacements;
  // BEP 5's "last changed": a node added, replaced, or answering a query. Never, for a bucket nothing
  // touched.
  TimePoint last_changed;
};

struct RoutingTableConfig {
  NodeId own_id;
  std::size_t bucket_size = kBucketSize;
};

enum class InsertOutcome {
  Added,      // the bucket had room
  Updated,    // the node was known: its times are refreshed
  Replaced,   // it took the place of a bad node
  PingFirst,  // the bucket is full and holds questionable nodes: ping the one named, it waits meanwhile
  Discarded,  // full of good nodes, or a node the table does not believe (see RoutingTable)
};

struct Insertion {
  InsertOutcome outcome = InsertOutcome::Discarded;
  std::optional<NodeInfo> ping;  // set with PingFirst: the least recently seen questionable node
};

// The table starts as one bucket covering the whole id space. Bucket i holds the nodes whose ids share
// exactly i leading bits with the own id, and the last bucket those that share at least as many as its
// index: so only the last bucket holds the own id, and only it splits (BEP 5: "no more nodes may be added
// unless our own node ID falls within the range of the bucket"). It never holds the own id, trusts an id only
// at the address it was first seen at, and keeps one node per address, so that one source cannot fill it by
// inventing ids. Time comes in with every event.
class RoutingTable {
 public:
  explicit RoutingTable(RoutingTableConfig config);

  // The node answered one of our queries.
  Insertion on_response(const NodeInfo& node, TimePoint now);
  // The node queried us: it is added if there is room, but is good only once it has answered us.
  Insertion on_query(const NodeInfo& node, TimePoint now);
  // A query to the node went unanswered. If that makes it bad and its bucket holds a replacement, the
  // replacement takes its place.
  void on_timeout(const NodeId& id, TimePoint now);

  // The `count` nodes closest to `target` by XOR distance: good nodes first (BEP 5: "nodes that are known to
  // be good are given priority"), then questionable ones if too few are good, each group closest first. Bad
  // nodes never.
  std::vector<NodeInfo> closest(const NodeId& target, std::size_t count, TimePoint now) const;

  // Buckets that no change touched for kRefreshAfter, and a random id in a bucket's range to look up.
  std::vector<std::size_t> buckets_to_refresh(TimePoint now) const;
  NodeId refresh_target(std::size_t bucket, Rng& rng) const;

  const NodeEntry* find(const NodeId& id) const;
  const std::vector<Bucket>& buckets() const { return buckets_; }
  std::size_t size() const;
  const NodeId& own_id() const { return config_.own_id; }

 private:
  enum class Contact { Responded, Queried };

  Insertion insert(const NodeInfo& node, Contact contact, TimePoint now);
  std::size_t bucket_index(const NodeId& id) const;
  bool address_taken(const Endpoint& endpoint) const;
  void split_last(TimePoint now);
  void remember_replacement(Bucket& bucket, NodeEntry entry);
  void promote_replacement(Bucket& bucket, NodeEntry& bad, TimePoint now);

  RoutingTableConfig config_;
  std::vector<Bucket> buckets_;
};

}  // namespace p2p::bittorrent::dht
