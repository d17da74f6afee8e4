// RateMeter: one-second buckets in a ring, summed over the window.
#include "bittorrent/rate_meter.h"

#include <algorithm>

namespace p2p::bittorrent {

void RateMeter::roll(std::int64_t second) {
  if (second <= newest_) return;
  // Clear the buckets of the seconds that passed silently, at most the whole ring.
  for (std::int64_t s = newest_ + 1; s <= second && s <= newest_ + static_cast<std::int64_t>(kBuckets); ++s) {
    buckets_[static_cast<std::size_t>(s) % kBuckets] = 0;
  }
  newest_ = second;
}

void RateMeter::add(std::uint64_t amount, TimePoint now) {
  roll(second_of(now));
  // A sample older than the ring (never, with a monotonic clock) counts in the newest bucket.
  buckets_[static_cast<std::size_t>(newest_) % kBuckets] += amount;
  total_ += amount;
}

double RateMeter::rate(TimePoint now) const {
  std::int64_t second = second_of(now);
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    std::int64_t s = second - static_cast<std::int64_t>(i);
    if (s <= newest_ && s > newest_ - static_cast<std::int64_t>(kBuckets))
      sum += buckets_[static_cast<std::size_t>(s) % kBuckets];
  }
  // The window covers the seconds before `now` plus the part of the current one that has passed.
  double window = std::min(
      to_seconds(now - start_),
      static_cast<double>(kBuckets - 1) + to_seconds(now.time_since_epoch()) - static_cast<double>(second));
  return sum / std::max(window, 0.001);
}

}  // namespace p2p::bittorrent
