// A BEP 5 DHT node without I/O: datagrams and clock ticks come in with the time, datagrams go out through a
// callback. It answers the four queries, keeps its routing table, and runs lookups, announces and bootstrap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bittorrent/dht/krpc.h"
#include "bittorrent/dht/lookup.h"
#include "bittorrent/dht/peer_store.h"
#include "bittorrent/dht/rate_limiter.h"
#include "bittorrent/dht/routing_table.h"
#include "bittorrent/dht/token_store.h"
#include "bittorrent/dht/transactions.h"

namespace p2p::bittorrent::dht {

// Peers handed out in one get_peers answer at most: 100 compact peers keep it near 700 bytes, well inside
// one unfragmented datagram.
inline constexpr std::size_t kMaxValues = 100;
// Lookups whose hops and messages are kept for the medians.
inline constexpr std::size_t kLookupHistory = 256;

struct NodeConfig {
  NodeId id;
  std::size_t k = kBucketSize;
  std::size_t alpha = kAlpha;
  TransactionsConfig transactions;
  RateLimiterConfig rate_limit;
  PeerStoreConfig peers;
  // "v" (BEP 5, "KRPC Protocol", after BEP 20): two letters for the client, two for its version.
  std::string version = "PL01";
};

enum class LookupKind { Bootstrap, FindNode, GetPeers, Announce, Refresh };

struct LookupResult {
  LookupKind kind = LookupKind::FindNode;
  NodeId target;
  std::vector<NodeInfo> closest;  // the k closest that answered, closest first
  std::vector<Endpoint> peers;    // get_peers and announce: the `values` gathered on the way
  std::size_t hops = 0;           // Lookup::hops()
  std::size_t messages = 0;       // queries sent for it, retries and bootstrap queries included
  std::vector<NodeInfo> path;     // Lookup::path(): from a seed to the closest node
  std::size_t announced = 0;      // announce: announce_peer queries sent, one per token holder
};
using LookupDone = std::function<void(const LookupResult&)>;

// What the node counted. `drops` names each reason a datagram was dropped or refused.
struct NodeCounters {
  std::uint64_t queries_in = 0, responses_out = 0, errors_out = 0;
  std::uint64_t queries_out = 0, responses_in = 0, errors_in = 0, retries = 0, timeouts = 0;
  std::uint64_t lookups_done = 0;
  std::map<std::string, std::uint64_t> drops;
};

using SendDatagram = std::function<void(const Endpoint& to, Bytes datagram)>;

// Answers ping, find_node, get_peers (peers, or the k closest nodes, with a token) and announce_peer (token
// checked, implied_port honoured); an unknown method gets 204, a malformed query or a bad token 203, an
// announce the full PeerStore cannot take 201. Every node that sends a valid query or answers one of ours
// goes through the RoutingTable, which asks for a questionable node to be pinged before it is replaced.
// Queries beyond an address's RateLimiter budget are dropped unanswered. An answer whose `t` is not awaited,
// or comes from another address or id than the one asked, is counted and ignored. tick() times out queries
// (one retry each, then the node counts a failure), refreshes buckets unchanged for 15 minutes with a
// find_node lookup of a random id in their range, and expires announced peers.
class Node {
 public:
  Node(NodeConfig config, Rng& rng, TimePoint now, SendDatagram send);

  void on_datagram(const Endpoint& from, ByteView datagram, TimePoint now);
  void tick(TimePoint now);

  // find_node for the own id, through nodes known only by address (BEP 5, "Routing Table": a node joins
  // through one it knows) and the table's own closest; then a refresh of every other bucket.
  void bootstrap(const std::vector<Endpoint>& nodes, TimePoint now, LookupDone done = {});
  void find_node(const NodeId& target, TimePoint now, LookupDone done = {});
  void get_peers(const NodeId& info_hash, TimePoint now, LookupDone done = {});
  // A get_peers lookup, then announce_peer to each of the k closest that gave a token (BEP 5,
  // "announce_peer"). With `implied_port`, they take the port our datagrams come from.
  void announce(const NodeId& info_hash, std::uint16_t port, bool implied_port, TimePoint now,
                LookupDone done = {});

  // BEP 5, "BitTorrent Protocol Extension": on a peer's PORT message "a node should attempt to ping the
  // node on the received port and IP address of the remote peer"; an answer puts it in the routing table by
  // the usual rules.
  void ping(const Endpoint& node, TimePoint now);

  const NodeId& id() const { return config_.id; }
  const RoutingTable& table() const { return table_; }
  const PeerStore& peer_store() const { return peer_store_; }
  const NodeCounters& counters() const { return counters_; }
  std::size_t awaited_queries() const { return transactions_.size(); }
  std::size_t running_lookups() const { return searches_.size(); }
  const std::optional<LookupResult>& last_lookup() const { return last_lookup_; }
  const std::deque<double>& recent_hops() const { return recent_hops_; }
  const std::deque<double>& recent_messages() const { return recent_messages_; }

 private:
  struct Search {
    LookupKind kind;
    NodeId target;
    Lookup lookup;
    std::map<NodeId, std::string> tokens;  // get_peers: the token each answering node gave
    std::set<Endpoint> peers;
    std::size_t messages = 0;
    std::size_t seeds_awaited = 0;  // bootstrap queries not yet answered or failed
    std::uint16_t port = 0;
    bool implied_port = false;
    LookupDone done;
  };

  // node.cpp: answering queries.
  void on_query(const Endpoint& from, const std::string& transaction, const Query& query, TimePoint now);
  void answer_get_peers(const Endpoint& from, const std::string& transaction, const GetPeers& args,
                        TimePoint now);
  void answer_announce(const Endpoint& from, const std::string& transaction, const AnnouncePeer& args,
                       TimePoint now);
  void reply(const Endpoint& to, const std::string& transaction, Response response);
  void refuse(const Endpoint& to, const std::string& transaction, int code, const std::string& why);
  void drop(const std::string& reason) { ++counters_.drops[reason]; }
  void after_insertion(const NodeInfo& node, const Insertion& insertion, TimePoint now);

  // node_lookups.cpp: our own queries and lookups.
  void on_answer(const Endpoint& from, const std::string& transaction, const Response* response,
                 TimePoint now);
  void send_query(const Endpoint& to, const std::optional<NodeId>& id, QueryArgs args, Purpose purpose,
                  std::uint64_t search, TimePoint now);
  std::uint64_t start(LookupKind kind, const NodeId& target, TimePoint now, LookupDone done);
  void step(std::uint64_t search, TimePoint now);
  void finish(std::uint64_t search, TimePoint now);
  void on_search_answer(Search& search, const Outstanding& query, const Response& response);
  void on_failure(const Outstanding& query, TimePoint now);
  void refresh(TimePoint now);
  void refresh_bucket(std::size_t bucket, TimePoint now);

  NodeConfig config_;
  Rng& rng_;
  SendDatagram send_;
  RoutingTable table_;
  TokenStore tokens_;
  PeerStore peer_store_;
  RateLimiter rate_limiter_;
  Transactions transactions_;
  std::map<std::uint64_t, Search> searches_;
  std::uint64_t next_search_ = 1;
  std::set<NodeId> pinging_;                    // questionable nodes with a ping awaited
  std::map<std::size_t, TimePoint> refreshed_;  // bucket index: when its last refresh lookup started
  TimePoint peers_expired_;
  NodeCounters counters_;
  std::optional<LookupResult> last_lookup_;
  std::deque<double> recent_hops_, recent_messages_;
};

}  // namespace p2p::bittorrent::dht
