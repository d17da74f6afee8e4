// Token buckets per source address.
#include "bittorrent/dht/rate_limiter.h"

#include <algorithm>
#include <cassert>

namespace p2p::bittorrent::dht {

RateLimiter::RateLimiter(RateLimiterConfig config) : config_(config) {
  assert(config_.per_second >= 0 && config_.burst >= 1 && config_.max_addresses > 0);
}

bool RateLimiter::allow(std::uint32_t ipv4, TimePoint now) {
  if (config_.per_second == 0) return true;
  auto it = buckets_.find(ipv4);
  if (it == buckets_.end()) {
    if (buckets_.size() >= config_.max_addresses) forget_full(now);
    if (buckets_.size() >= config_.max_addresses) return false;
    it = buckets_.emplace(ipv4, Budget{config_.burst, now}).first;
  }
  Budget& budget = it->second;
  budget.tokens = refilled(budget, now);
  budget.at = now;
  if (budget.tokens < 1) return false;
  budget.tokens -= 1;
  return true;
}

double RateLimiter::refilled(const Budget& budget, TimePoint now) const {
  return std::min(config_.burst, budget.tokens + to_seconds(now - budget.at) * config_.per_second);
}

void RateLimiter::forget_full(TimePoint now) {
  std::erase_if(buckets_, [&](const auto& entry) { return refilled(entry.second, now) >= config_.burst; });
}

}  // namespace p2p::bittorrent::dht
