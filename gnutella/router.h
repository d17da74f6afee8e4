// Router: Gnutella's flooding and reverse-path routing as pure decisions over a seen-table with expiry.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/util/ids.h"
#include "common/util/time.h"
#include "gnutella/descriptor.h"

namespace p2p::gnutella {

// Why a descriptor goes no further. Each one is a telemetry counter in the servent.
enum class DropReason {
  None,
  Duplicate,         // this (type, GUID) was seen before: flooding's loops end here
  TtlAboveLimit,     // TTL > 15: abuse (PROTOCOLS.md)
  ArrivedDead,       // TTL 0: a neighbour forwarded what it must not have
  UnknownGuid,       // a Pong or QueryHit for a Ping or Query never seen here (or long expired)
  ReturnPathClosed,  // its Ping or Query came through a connection that has since closed
  Expired,           // a reply whose TTL runs out before it can be passed back
  NotRouted,         // Push: p2plab servents are never firewalled, so they do not route Pushes
  UnknownType,       // a payload type this servent does not know: dropped, and the link kept
};

std::string_view to_string(DropReason reason);

// What to do with one incoming descriptor, as a value a test can inspect.
struct RouteDecision {
  DropReason drop = DropReason::None;
  // This servent should handle it: answer a Ping or Query, take a Pong or QueryHit that answers its own
  // request, read a Bye.
  bool deliver = false;
  // Where copies go (the frame with `ttl` and `hops` patched in, see with_ttl_and_hops()).
  std::vector<ConnId> forward_to;
  std::uint8_t ttl = 0;
  std::uint8_t hops = 0;
  // The forwarded TTL was cut so that TTL + hops stays within the configured maximum.
  bool ttl_lowered = false;

  bool dropped() const { return drop != DropReason::None; }
};

// Decides, for each descriptor that arrives, whether it is new, whether this servent handles it, and where
// it goes next (GDF Gnutella 0.6, 2.2.1 and 2.2.7.1):
// - Pings and Queries flood: a (type, GUID) already seen is dropped; otherwise the servent handles it and
//   passes it to every neighbour but the sender with TTL - 1 and hops + 1, never when that TTL is 0
//   ("when the TTL reaches 0, the message will no longer be forwarded"). TTL > 15 is dropped, TTL 0 is dead.
// - The draft keeps TTL(0) = TTL(i) + Hops(i), TTL(0) "usually 7", and servents may lower a TTL they find
//   abusive: a copy whose TTL + hops would exceed max_ttl has its TTL cut to fit (possibly to not
//   forwarding).
// - Pongs and QueryHits retrace their Ping's or Query's path: the table remembers which connection each
//   GUID came from, and a reply for a GUID never seen is dropped.
// Entries live for `entry_lifetime` and the table holds at most `max_entries` (the oldest go first).
class Router {
 public:
  struct Config {
    Duration entry_lifetime = std::chrono::minutes(10);
    std::size_t max_entries = 100'000;
    std::uint8_t max_ttl = kDefaultTtl;
  };

  Router() : Router(Config{}) {}
  explicit Router(Config config) : config_(config) {}

  // A Ping or Query this servent sends itself: its replies are delivered here, and its echoes are duplicates.
  void originate(PayloadType type, const Guid& guid, TimePoint now);

  // The decision for `header`, which arrived on `from`; `neighbours` are the servent's open connections
  // (`from` among them or not).
  RouteDecision route(const Header& header, ConnId from, std::span<const ConnId> neighbours, TimePoint now);

  // A connection closed: replies can no longer travel back through it. Its GUIDs stay known as seen, so
  // late copies arriving by other paths are still duplicates.
  void forget_connection(ConnId conn);

  // The TTL for a Pong or QueryHit answering `request`: just enough to walk back the hops it came.
  static std::uint8_t reply_ttl(const Header& request) {
    return static_cast<std::uint8_t>(std::min<int>(request.hops + 1, kMaxTtl));
  }

  std::size_t size() const { return entries_.size(); }

 private:
  struct Key {
    PayloadType type;
    Guid guid;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& key) const noexcept {
      return GuidHash{}(key.guid) ^ static_cast<std::size_t>(key.type);
    }
  };
  // Where a request came from: a neighbour, this servent (`local`), or a closed connection (neither).
  struct Entry {
    ConnId from;
    bool local = false;
    TimePoint seen;
  };

  RouteDecision flood(const Header& header, ConnId from, std::span<const ConnId> neighbours, TimePoint now);
  RouteDecision route_back(const Header& header, PayloadType request_type);
  // TTL - 1 and hops + 1, with the TTL lowered to keep TTL + hops within max_ttl; false if nothing is left.
  bool next_hop(const Header& header, RouteDecision& decision) const;
  void remember(const Key& key, Entry entry);
  void expire(TimePoint now);

  Config config_;
  std::unordered_map<Key, Entry, KeyHash> entries_;
  // Keys in the order they were first seen: entries never refresh, so this is also their expiry order.
  std::deque<std::pair<TimePoint, Key>> order_;
};

}  // namespace p2p::gnutella
