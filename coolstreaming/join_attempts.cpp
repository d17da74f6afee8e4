// JoinAttempts: exponential backoff with jitter between join attempts.
#include "coolstreaming/join_attempts.h"

#include <algorithm>

namespace p2p::coolstreaming {

void JoinAttempts::begin(TimePoint now) {
  ++attempts_;
  if (!first_) first_ = now;
}

Duration JoinAttempts::next_delay(Duration retry_after, Rng& rng) {
  const Duration base = std::max(backoff_, retry_after);
  backoff_ = std::min(backoff_ * 2, config_.max);
  const auto jitter = static_cast<Duration::rep>(rng.uniform() * static_cast<double>(base.count()) / 2);
  return base + Duration(jitter);
}

}  // namespace p2p::coolstreaming
