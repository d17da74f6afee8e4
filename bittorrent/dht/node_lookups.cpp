// The asking half of a DHT node: our queries and their answers, lookups (BEP 5, "Searching for peers"),
// announces, bootstrap and bucket refresh.
#include <utility>

#include "bittorrent/dht/node.h"

namespace p2p::bittorrent::dht {

void Node::send_query(const Endpoint& to, const std::optional<NodeId>& id, QueryArgs args, Purpose purpose,
                      std::uint64_t search, TimePoint now) {
  std::string transaction = transactions_.next_id();
  Bytes datagram = encode_krpc(Message{transaction, Query{config_.id, std::move(args)}, config_.version});
  send_(to, datagram);
  ++counters_.queries_out;
  if (auto it = searches_.find(search); it != searches_.end()) ++it->second.messages;
  transactions_.add(std::move(transaction), Outstanding{to, id, std::move(datagram), purpose, search, {}, 1},
                    now);
}

// A response (`response` set) or an error (`response` null) to one of our queries.
void Node::on_answer(const Endpoint& from, const std::string& transaction, const Response* response,
                     TimePoint now) {
  std::optional<NodeId> id;
  if (response != nullptr) id = response->id;
  Outstanding query;
  switch (transactions_.close(transaction, from, id, &query)) {
    case Match::UnknownTransaction:
      return drop("unexpected_transaction");
    case Match::WrongSender:
      return drop("wrong_sender");
    case Match::WrongId:
      return drop("wrong_id");
    case Match::Matched:
      break;
  }
  if (response == nullptr) {
    // The node is alive but refused: its part of a lookup counts as failed, without a retry.
    ++counters_.errors_in;
    if (query.id) pinging_.erase(*query.id);
    return on_failure(query, now);
  }
  ++counters_.responses_in;
  if (query.id) pinging_.erase(*query.id);
  NodeInfo responder{response->id, from};
  after_insertion(responder, table_.on_response(responder, now), now);
  if (query.purpose != Purpose::Search) return;
  auto it = searches_.find(query.search);
  if (it == searches_.end()) return;  // an answer that came after its lookup ended
  on_search_answer(it->second, query, *response);
  step(query.search, now);
}

void Node::on_search_answer(Search& search, const Outstanding& query, const Response& response) {
  const std::vector<NodeInfo> none;
  const std::vector<NodeInfo>& nodes = response.nodes ? *response.nodes : none;
  if (query.id) {
    search.lookup.on_response(*query.id, nodes);
  } else {
    --search.seeds_awaited;
    search.lookup.on_seed_response(NodeInfo{response.id, query.to}, nodes);
  }
  if (response.token) search.tokens[response.id] = *response.token;
  if (response.values) search.peers.insert(response.values->begin(), response.values->end());
}

void Node::on_failure(const Outstanding& query, TimePoint now) {
  ++counters_.timeouts;
  if (query.id) {
    pinging_.erase(*query.id);
    table_.on_timeout(*query.id, now);
  }
  if (query.purpose != Purpose::Search) return;
  auto it = searches_.find(query.search);
  if (it == searches_.end()) return;
  if (query.id) {
    it->second.lookup.on_timeout(*query.id);
  } else {
    --it->second.seeds_awaited;
  }
  step(query.search, now);
}

void Node::bootstrap(const std::vector<Endpoint>& nodes, TimePoint now, LookupDone done) {
  std::uint64_t search = start(LookupKind::Bootstrap, config_.id, now, std::move(done));
  searches_.at(search).seeds_awaited = nodes.size();
  for (const Endpoint& node : nodes)
    send_query(node, std::nullopt, FindNode{config_.id}, Purpose::Search, search, now);
  step(search, now);
}

void Node::ping(const Endpoint& node, TimePoint now) {
  send_query(node, std::nullopt, Ping{}, Purpose::Ping, 0, now);
}

void Node::find_node(const NodeId& target, TimePoint now, LookupDone done) {
  step(start(LookupKind::FindNode, target, now, std::move(done)), now);
}

void Node::get_peers(const NodeId& info_hash, TimePoint now, LookupDone done) {
  step(start(LookupKind::GetPeers, info_hash, now, std::move(done)), now);
}

void Node::announce(const NodeId& info_hash, std::uint16_t port, bool implied_port, TimePoint now,
                    LookupDone done) {
  std::uint64_t search = start(LookupKind::Announce, info_hash, now, std::move(done));
  searches_.at(search).port = port;
  searches_.at(search).implied_port = implied_port;
  step(search, now);
}

std::uint64_t Node::start(LookupKind kind, const NodeId& target, TimePoint now, LookupDone done) {
  std::uint64_t id = next_search_++;
  Lookup lookup(LookupConfig{target, config_.id, config_.k, config_.alpha},
                table_.closest(target, config_.k, now));
  searches_.emplace(id, Search{kind, target, std::move(lookup), {}, {}, 0, 0, 0, false, std::move(done)});
  return id;
}

// Sends what the lookup asks next; a lookup is over when it has converged and no bootstrap node it waits
// for can still add to it.
void Node::step(std::uint64_t id, TimePoint now) {
  Search& search = searches_.at(id);
  bool uses_get_peers = search.kind == LookupKind::GetPeers || search.kind == LookupKind::Announce;
  for (const NodeInfo& node : search.lookup.next_queries()) {
    QueryArgs args = uses_get_peers ? QueryArgs{GetPeers{search.target}} : QueryArgs{FindNode{search.target}};
    send_query(node.endpoint, node.id, std::move(args), Purpose::Search, id, now);
  }
  if (search.lookup.done() && search.seeds_awaited == 0) finish(id, now);
}

// Records the result, announces to the token holders if asked to, and only then calls back: the callback
// may start another lookup.
void Node::finish(std::uint64_t id, TimePoint now) {
  auto node = searches_.extract(id);
  Search& search = node.mapped();
  LookupResult result{search.kind,
                      search.target,
                      search.lookup.closest_answered(),
                      {search.peers.begin(), search.peers.end()},
                      search.lookup.hops(),
                      search.messages,
                      search.lookup.path(),
                      0};
  if (search.kind == LookupKind::Announce) {
    for (const NodeInfo& holder : result.closest) {
      auto token = search.tokens.find(holder.id);
      if (token == search.tokens.end()) continue;
      send_query(holder.endpoint, holder.id,
                 AnnouncePeer{search.target, search.port, token->second, search.implied_port},
                 Purpose::Announce, 0, now);
      ++result.announced;
    }
  }
  ++counters_.lookups_done;
  recent_hops_.push_back(static_cast<double>(result.hops));
  recent_messages_.push_back(static_cast<double>(result.messages));
  if (recent_hops_.size() > kLookupHistory) {
    recent_hops_.pop_front();
    recent_messages_.pop_front();
  }
  last_lookup_ = result;
  // The lookup of the own id filled the buckets near it; the far ones hold whoever answered on the way.
  // Refreshing each at once fills them with nodes in their range, so that the node's answers lead lookups
  // for any target closer (Kademlia, section 2.3: "refreshes all buckets further away than its closest
  // neighbor").
  if (search.kind == LookupKind::Bootstrap) {
    for (std::size_t bucket = 0; bucket + 1 < table_.buckets().size(); ++bucket) refresh_bucket(bucket, now);
  }
  if (search.done) search.done(result);
}

// BEP 5, "Routing Table": "Buckets that have not been changed in 15 minutes should be refreshed" by a
// find_node for a random id in the bucket's range. A bucket is refreshed at most once per period, even when
// its lookup found nothing to change it.
void Node::refresh(TimePoint now) {
  if (table_.size() == 0) return;
  for (std::size_t bucket : table_.buckets_to_refresh(now)) {
    auto last = refreshed_.find(bucket);
    if (last == refreshed_.end() || now - last->second >= kRefreshAfter) refresh_bucket(bucket, now);
  }
}

void Node::refresh_bucket(std::size_t bucket, TimePoint now) {
  refreshed_[bucket] = now;
  step(start(LookupKind::Refresh, table_.refresh_target(bucket, rng_), now, {}), now);
}

}  // namespace p2p::bittorrent::dht
