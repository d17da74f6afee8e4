// Exponential backoff with jitter.
#include "napster/backoff.h"

#include <algorithm>

namespace p2p::napster {

Duration Backoff::next(Rng& rng) {
  Duration base = config_.initial;
  for (int i = 0; i < attempts_ && base < config_.max; ++i) base *= 2;
  base = std::min(base, config_.max);
  ++attempts_;
  double spread = 1.0 + config_.jitter * (2.0 * rng.uniform() - 1.0);
  return from_seconds(to_seconds(base) * spread);
}

}  // namespace p2p::napster
