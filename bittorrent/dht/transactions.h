// The queries a DHT node has sent and awaits answers to (BEP 5, "KRPC Protocol": "the transaction ID ...
// echoed in the response, so responses may be correlated with multiple queries to the same node"), with the
// timeout and the one retry of each.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>

#include "bittorrent/dht/node_id.h"
#include "common/net/endpoint.h"
#include "common/util/bytes.h"
#include "common/util/random.h"
#include "common/util/time.h"

namespace p2p::bittorrent::dht {

// Why a query was sent, so that its answer or its failure goes back to the right place.
enum class Purpose {
  Search,    // one step of a lookup (find_node or get_peers), or a bootstrap query
  Ping,      // a questionable node, pinged before anyone takes its place in the routing table
  Announce,  // announce_peer at the end of an announce
};

struct Outstanding {
  Endpoint to;
  std::optional<NodeId> id;  // the node asked; none for a bootstrap node known only by its address
  Bytes datagram;            // the encoded query, sent again as it was on a retry
  Purpose purpose = Purpose::Search;
  std::uint64_t search = 0;  // the lookup it belongs to, for Purpose::Search
  TimePoint deadline;
  int attempts = 1;
};

struct TransactionsConfig {
  // BEP 5 sets none; common clients wait a few seconds before giving up on a node.
  Duration timeout = std::chrono::seconds(2);
  // Tries per query: the first and one retry.
  int attempts = 2;
};

enum class Match {
  Matched,
  UnknownTransaction,  // no query of ours under that `t` (late after its failure, or never sent)
  WrongSender,         // the `t` is ours but the answer came from another address
  WrongId,             // from the right address, but with another node id than the one asked
};

// Transaction ids are 2 bytes, drawn from a counter that starts at random, and skip ids still awaited.
class Transactions {
 public:
  Transactions(TransactionsConfig config, Rng& rng);

  // A fresh transaction id for a query about to be encoded.
  std::string next_id();
  void add(std::string transaction, Outstanding query, TimePoint now);
  // Checks an answer (a response, or an error with `id` unset) against the query sent under `transaction`.
  // On Matched the query is no longer awaited and is handed back; otherwise it stays awaited.
  Match close(const std::string& transaction, const Endpoint& from, const std::optional<NodeId>& id,
              Outstanding* closed);
  // Queries past their deadline: `resend` is called for those with a try left (they wait again), `failed`
  // for the rest, which are no longer awaited.
  void expire(TimePoint now, const std::function<void(const Outstanding&)>& resend,
              const std::function<void(const Outstanding&)>& failed);

  std::size_t size() const { return awaited_.size(); }

 private:
  TransactionsConfig config_;
  std::uint16_t counter_;
  std::unordered_map<std::string, Outstanding> awaited_;
};

}  // namespace p2p::bittorrent::dht
