// PongCache: recent pongs per connection, so a servent answers pings itself instead of flooding them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <vector>

#include "common/util/ids.h"
#include "common/util/time.h"
#include "gnutella/descriptor.h"

namespace p2p::gnutella {

struct CachedPong {
  Pong pong;
  ConnId from;
  std::uint8_t hops = 0;  // how far the host was from this servent when its pong arrived
  TimePoint received;
};

// The "simple pong caching scheme" of GDF Gnutella 0.6, 2.2.4.1. Flooded pings cost a message on every
// link of the overlay for every ping; instead each servent keeps the last ~10 pongs that came in on each
// connection, answers a ping with its own pong plus pongs from that cache, and does not forward it.
// The cache stays fresh because the servent pings its neighbours every few seconds (refresh_due).
// A "handshake ping" (TTL 1, hops 0) only asks "are you there?": it gets the servent's own pong alone.
class PongCache {
 public:
  struct Config {
    std::size_t per_connection = 10;
    std::size_t answer_size = 10;
    Duration refresh_interval = std::chrono::seconds(3);
    Duration max_age = std::chrono::seconds(30);  // older pongs describe hosts that may have left
  };

  PongCache() : PongCache(Config{}) {}
  explicit PongCache(Config config) : config_(config) {}

  // A pong arrived on `from`. A newer pong for the same host replaces the older one on that connection;
  // past per_connection pongs, the oldest goes.
  void add(ConnId from, const Pong& pong, std::uint8_t hops, TimePoint now);

  // Up to answer_size distinct hosts for a ping that came on `asker`: never pongs learnt from the asker
  // itself, never stale ones, newest first, taken from each connection in turn so that one chatty
  // neighbour does not fill the answer.
  std::vector<CachedPong> answer(ConnId asker, TimePoint now) const;

  // Time to send the refreshing ping to every neighbour? True at first, then every refresh_interval.
  bool refresh_due(TimePoint now) const {
    return !last_refresh_ || now - *last_refresh_ >= config_.refresh_interval;
  }
  void mark_refreshed(TimePoint now) { last_refresh_ = now; }

  void forget_connection(ConnId conn) { by_connection_.erase(conn); }
  std::size_t size() const;

 private:
  Config config_;
  // Ordered by connection id so that answers are the same on every run.
  std::map<ConnId, std::deque<CachedPong>> by_connection_;
  std::optional<TimePoint> last_refresh_;
};

// A ping with TTL 1 and hops 0 comes straight from a neighbour and wants only that neighbour's pong.
inline bool is_handshake_ping(const Header& ping) {
  return ping.ttl == 1 && ping.hops == 0;
}

}  // namespace p2p::gnutella
