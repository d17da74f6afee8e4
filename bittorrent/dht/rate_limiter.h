// A per-address query budget (issue 16: "rate limits keep one source from filling the table"): each source
// IPv4 address may send a burst of queries, then a steady rate; the rest are dropped unanswered.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "common/util/time.h"

namespace p2p::bittorrent::dht {

struct RateLimiterConfig {
  // Queries a second one address may send in the long run; 0 turns the limit off.
  double per_second = 100;
  // Queries one address may send at once after a quiet spell.
  double burst = 200;
  // Addresses tracked at most; past this, addresses with a full budget are forgotten, and if none has one,
  // an unknown address is refused until some do (a flood of spoofed sources cannot grow the node).
  std::size_t max_addresses = 65536;
};

// A token bucket per address, refilled by the times passed in.
class RateLimiter {
 public:
  explicit RateLimiter(RateLimiterConfig config);

  // Whether one more query from `ipv4` is answered; a refused query uses no budget.
  bool allow(std::uint32_t ipv4, TimePoint now);

  std::size_t addresses() const { return buckets_.size(); }

 private:
  struct Budget {
    double tokens;
    TimePoint at;
  };

  double refilled(const Budget& budget, TimePoint now) const;
  void forget_full(TimePoint now);

  RateLimiterConfig config_;
  std::unordered_map<std::uint32_t, Budget> buckets_;
};

}  // namespace p2p::bittorrent::dht
