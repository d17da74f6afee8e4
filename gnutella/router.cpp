// The Gnutella router: seen-table, flooding and reverse-path decisions.
#include "gnutella/router.h"

#include <algorithm>

namespace p2p::gnutella {

std::string_view to_string(DropReason reason) {
  switch (reason) {
    case DropReason::None:
      return "none";
    case DropReason::Duplicate:
      return "duplicate";
    case DropReason::TtlAboveLimit:
      return "ttl_above_limit";
    case DropReason::ArrivedDead:
      return "arrived_with_ttl_0";
    case DropReason::UnknownGuid:
      return "unknown_guid";
    case DropReason::ReturnPathClosed:
      return "return_path_closed";
    case DropReason::Expired:
      return "expired";
    case DropReason::NotRouted:
      return "not_routed";
    case DropReason::UnknownType:
      return "unknown_type";
  }
  return "unknown";
}

void Router::originate(PayloadType type, const Guid& guid, TimePoint now) {
  expire(now);
  remember(Key{type, guid}, Entry{ConnId{}, true, now});
}

RouteDecision Router::route(const Header& header, ConnId from, std::span<const ConnId> neighbours,
                            TimePoint now) {
  expire(now);
  RouteDecision decision;
  if (header.ttl_above_limit()) {
    decision.drop = DropReason::TtlAboveLimit;
    return decision;
  }
  if (header.ttl == 0) {
    decision.drop = DropReason::ArrivedDead;
    return decision;
  }
  switch (header.type) {
    case PayloadType::Ping:
    case PayloadType::Query:
      return flood(header, from, neighbours, now);
    case PayloadType::Pong:
      return route_back(header, PayloadType::Ping);
    case PayloadType::QueryHit:
      return route_back(header, PayloadType::Query);
    case PayloadType::Bye:
      // Sent with TTL 1 to the neighbour that is being left; never forwarded.
      decision.deliver = true;
      return decision;
    case PayloadType::Push:
      decision.drop = DropReason::NotRouted;
      return decision;
  }
  decision.drop = DropReason::NotRouted;
  return decision;
}

RouteDecision Router::flood(const Header& header, ConnId from, std::span<const ConnId> neighbours,
                            TimePoint now) {
  RouteDecision decision;
  Key key{header.type, header.guid};
  if (entries_.contains(key)) {
    decision.drop = DropReason::Duplicate;
    return decision;
  }
  remember(key, Entry{from, false, now});
  decision.deliver = true;
  if (next_hop(header, decision)) {
    for (ConnId neighbour : neighbours) {
      if (neighbour != from) decision.forward_to.push_back(neighbour);
    }
  }
  return decision;
}

RouteDecision Router::route_back(const Header& header, PayloadType request_type) {
  RouteDecision decision;
  auto it = entries_.find(Key{request_type, header.guid});
  if (it == entries_.end()) {
    decision.drop = DropReason::UnknownGuid;
  } else if (it->second.local) {
    decision.deliver = true;
  } else if (it->second.from == ConnId{}) {
    decision.drop = DropReason::ReturnPathClosed;
  } else if (!next_hop(header, decision)) {
    decision.drop = DropReason::Expired;
  } else {
    decision.forward_to.push_back(it->second.from);
  }
  return decision;
}

bool Router::next_hop(const Header& header, RouteDecision& decision) const {
  int ttl = header.ttl - 1;
  int hops = std::min(header.hops + 1, 255);
  if (ttl + hops > config_.max_ttl) {
    ttl = std::max(0, config_.max_ttl - hops);
    decision.ttl_lowered = true;
  }
  decision.ttl = static_cast<std::uint8_t>(ttl);
  decision.hops = static_cast<std::uint8_t>(hops);
  return ttl > 0;
}

void Router::forget_connection(ConnId conn) {
  for (auto& [key, entry] : entries_) {
    if (!entry.local && entry.from == conn) entry.from = ConnId{};
  }
}

void Router::remember(const Key& key, Entry entry) {
  if (entries_.size() >= config_.max_entries && !order_.empty()) {
    entries_.erase(order_.front().second);
    order_.pop_front();
  }
  if (entries_.emplace(key, entry).second) order_.emplace_back(entry.seen, key);
}

void Router::expire(TimePoint now) {
  while (!order_.empty() && now - order_.front().first >= config_.entry_lifetime) {
    entries_.erase(order_.front().second);
    order_.pop_front();
  }
}

}  // namespace p2p::gnutella
