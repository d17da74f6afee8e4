// The iterative lookup (BEP 5, "Searching for peers"; Kademlia, Maymounkov and Mazieres, section 2.3): ask
// the closest known nodes for closer ones, a few at a time, until the closest have all answered.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "bittorrent/dht/compact.h"
#include "bittorrent/dht/node_id.h"
#include "bittorrent/dht/routing_table.h"

namespace p2p::bittorrent::dht {

// Kademlia's alpha: how many queries of one lookup are in flight at once.
inline constexpr std::size_t kAlpha = 3;
// A lookup keeps at most this many candidates, so nodes answering with many made-up contacts cannot grow it
// without bound; only the k closest are ever asked.
inline constexpr std::size_t kMaxCandidates = 128;

struct LookupConfig {
  NodeId target;
  NodeId own_id;  // never a candidate: a node does not ask itself
  std::size_t k = kBucketSize;
  std::size_t alpha = kAlpha;
};

// One lookup as a state machine, fed by its caller: next_queries() says whom to ask (find_node or get_peers
// for the target), on_response() and on_timeout() say how it went. It converges on the k closest nodes that
// answered: done() once every one of the k closest candidates not known to have failed has answered.
// Candidates are kept closest first.
class Lookup {
 public:
  // `seeds`: where to start, usually the routing table's closest nodes to the target.
  Lookup(LookupConfig config, const std::vector<NodeInfo>& seeds);

  // The closest candidates not yet asked, among the k closest still standing, up to alpha in flight in all.
  // They count as in flight from now on.
  std::vector<NodeInfo> next_queries();
  // `from` answered with `nodes` (the `nodes` of a find_node or get_peers response). A late answer from a
  // node that had timed out still counts.
  void on_response(const NodeId& from, const std::vector<NodeInfo>& nodes);
  // A node asked outside the lookup answered with `nodes`: a bootstrap node, known only by its address until
  // it answered. It joins as a seed that has answered.
  void on_seed_response(const NodeInfo& from, const std::vector<NodeInfo>& nodes);
  // A query to `from` went unanswered: it is failed and the next candidate moves up.
  void on_timeout(const NodeId& from);

  bool done() const;
  // The k closest nodes that answered, closest first: the lookup's result.
  std::vector<NodeInfo> closest_answered() const;
  // The lookup's depth: the largest hop count among closest_answered(), a seed being hop 1 and a node
  // learned from a hop-h answer hop h + 1.
  std::size_t hops() const;
  // How the lookup reached the closest node that answered: the seed it started from, each node that named
  // the next, and that node last. Empty before any answer.
  std::vector<NodeInfo> path() const;
  std::size_t queries_sent() const { return queries_sent_; }
  std::size_t candidates() const { return candidates_.size(); }
  std::size_t in_flight() const { return in_flight_; }

 private:
  enum class State { Fresh, InFlight, Answered, Failed };
  struct Candidate {
    NodeInfo info;
    State state = State::Fresh;
    std::size_t hop = 1;
    std::optional<NodeId> named_by;  // the node whose answer named it; none for a seed
  };

  void add(const NodeInfo& node, std::size_t hop, const std::optional<NodeId>& named_by);
  void add_named_by(const Candidate& from, const std::vector<NodeInfo>& nodes);
  const Candidate* closest_answered_candidate() const;
  Candidate* find(const NodeId& id);

  LookupConfig config_;
  std::vector<Candidate> candidates_;  // closest to the target first
  std::size_t in_flight_ = 0;
  std::size_t queries_sent_ = 0;
};

}  // namespace p2p::bittorrent::dht
