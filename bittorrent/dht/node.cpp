// The answering half of a DHT node: datagrams in, queries answered (BEP 5, "DHT Queries"), the routing
// table fed, and the periodic work of tick().
#include "bittorrent/dht/node.h"

#include <cassert>
#include <type_traits>
#include <utility>

namespace p2p::bittorrent::dht {
namespace {

// Announced peers are swept this often; get_peers already skips expired ones.
constexpr Duration kExpirePeersEvery = std::chrono::minutes(1);

}  // namespace

Node::Node(NodeConfig config, Rng& rng, TimePoint now, SendDatagram send)
    : config_(std::move(config)),
      rng_(rng),
      send_(std::move(send)),
      table_(RoutingTableConfig{config_.id, config_.k}),
      tokens_(rng, now),
      peer_store_(config_.peers),
      rate_limiter_(config_.rate_limit),
      transactions_(config_.transactions, rng),
      peers_expired_(now) {
  assert(send_);
}

void Node::on_datagram(const Endpoint& from, ByteView datagram, TimePoint now) {
  auto message = decode_krpc(datagram);
  if (!message) {
    drop("malformed");
    // BEP 5, "Errors": a malformed query is answered with 203 under its transaction id.
    auto transaction = malformed_query_transaction(datagram);
    if (transaction && rate_limiter_.allow(from.ipv4(), now))
      refuse(from, *transaction, kProtocolError, message.reason());
    return;
  }
  if (const auto* query = std::get_if<Query>(&message->body)) {
    if (!rate_limiter_.allow(from.ipv4(), now)) return drop("rate_limited");
    on_query(from, message->transaction, *query, now);
  } else if (const auto* response = std::get_if<Response>(&message->body)) {
    on_answer(from, message->transaction, response, now);
  } else {
    on_answer(from, message->transaction, nullptr, now);
  }
}

void Node::on_query(const Endpoint& from, const std::string& transaction, const Query& query, TimePoint now) {
  ++counters_.queries_in;
  if (query.id == config_.id) return drop("own_id");
  if (std::holds_alternative<UnknownMethod>(query.args)) {
    drop("unknown_method");
    return refuse(from, transaction, kMethodUnknown, "method unknown");
  }
  after_insertion(NodeInfo{query.id, from}, table_.on_query(NodeInfo{query.id, from}, now), now);
  std::visit(
      [&](const auto& args) {
        using Args = std::decay_t<decltype(args)>;
        if constexpr (std::is_same_v<Args, FindNode>) {
          reply(from, transaction, Response{config_.id, table_.closest(args.target, config_.k, now), {}, {}});
        } else if constexpr (std::is_same_v<Args, GetPeers>) {
          answer_get_peers(from, transaction, args, now);
        } else if constexpr (std::is_same_v<Args, AnnouncePeer>) {
          answer_announce(from, transaction, args, now);
        } else {
          reply(from, transaction, Response{config_.id, {}, {}, {}});  // ping
        }
      },
      query.args);
}

// BEP 5, "get_peers": "If the queried node has peers for the infohash, they are returned in a key "values"
// ... Otherwise, ... "nodes" ... In either case a "token" key is also included".
void Node::answer_get_peers(const Endpoint& from, const std::string& transaction, const GetPeers& args,
                            TimePoint now) {
  Response response{config_.id, {}, {}, tokens_.token_for(from.ipv4(), now)};
  std::vector<Endpoint> peers = peer_store_.peers(args.info_hash, kMaxValues, now, rng_);
  if (peers.empty()) {
    response.nodes = table_.closest(args.info_hash, config_.k, now);
  } else {
    response.values = std::move(peers);
  }
  reply(from, transaction, std::move(response));
}

// BEP 5, "announce_peer": the token must be one we gave this address; with implied_port the peer's port is
// the datagram's source port.
void Node::answer_announce(const Endpoint& from, const std::string& transaction, const AnnouncePeer& args,
                           TimePoint now) {
  if (!tokens_.accepts(args.token, from.ipv4(), now)) {
    drop("bad_token");
    return refuse(from, transaction, kProtocolError, "bad token");
  }
  Endpoint peer{from.host, args.implied_port ? from.port : args.port};
  if (!peer_store_.announce(args.info_hash, peer, now)) {
    drop("store_full");
    return refuse(from, transaction, kGenericError, "too many torrents");
  }
  reply(from, transaction, Response{config_.id, {}, {}, {}});
}

void Node::reply(const Endpoint& to, const std::string& transaction, Response response) {
  ++counters_.responses_out;
  send_(to, encode_krpc(Message{transaction, std::move(response), config_.version}));
}

void Node::refuse(const Endpoint& to, const std::string& transaction, int code, const std::string& why) {
  ++counters_.errors_out;
  send_(to, encode_krpc(Message{transaction, ErrorReply{code, why}, config_.version}));
}

// BEP 5, "Routing Table": a full bucket with questionable nodes pings the least recently seen of them. A
// node that joined the table by querying us is pinged too: it is questionable until it answers, and find_node
// answers prefer good nodes, so an unverified newcomer would not be handed out.
void Node::after_insertion(const NodeInfo& node, const Insertion& insertion, TimePoint now) {
  std::optional<NodeInfo> to_ping = insertion.ping;
  bool unverified = insertion.outcome == InsertOutcome::Added || insertion.outcome == InsertOutcome::Replaced;
  if (unverified) {
    const NodeEntry* entry = table_.find(node.id);
    if (entry != nullptr && !entry->last_response) to_ping = node;
  }
  if (!to_ping || !pinging_.insert(to_ping->id).second) return;
  send_query(to_ping->endpoint, to_ping->id, Ping{}, Purpose::Ping, 0, now);
}

void Node::tick(TimePoint now) {
  transactions_.expire(
      now,
      [&](const Outstanding& query) {
        // Each unanswered try counts against the node: BEP 5 tries a silent node "once more before
        // discarding" it, so a query and its retry both lost make it bad.
        ++counters_.retries;
        if (query.id) table_.on_timeout(*query.id, now);
        if (auto it = searches_.find(query.search); query.purpose == Purpose::Search && it != searches_.end())
          ++it->second.messages;
        send_(query.to, query.datagram);
      },
      [&](const Outstanding& query) { on_failure(query, now); });
  refresh(now);
  if (now - peers_expired_ >= kExpirePeersEvery) {
    peer_store_.expire(now);
    peers_expired_ = now;
  }
}

}  // namespace p2p::bittorrent::dht
