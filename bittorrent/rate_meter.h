// RateMeter: bytes (or events) per second over a sliding window, from times the caller passes in.
#pragma once

#include <array>
#include <cstdint>

#include "common/util/time.h"

namespace p2p::bittorrent {

// A rolling average over the last kBuckets seconds, as mainline BitTorrent rates its peers for the choker
// (a 20 s window). One-second buckets in a ring; a meter younger than the window divides by its age, so a
// fast transfer shows its rate within a second instead of ramping up for 20. Pure: `now` is always passed in.
class RateMeter {
 public:
  static constexpr std::size_t kBuckets = 20;

  explicit RateMeter(TimePoint start = {}) : start_(start) {}

  void add(std::uint64_t amount, TimePoint now);
  // Per second, over the window that ends at `now`.
  double rate(TimePoint now) const;
  std::uint64_t total() const { return total_; }

 private:
  static std::int64_t second_of(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  }
  void roll(std::int64_t second);

  TimePoint start_;
  std::array<std::uint64_t, kBuckets> buckets_{};
  std::int64_t newest_ = 0;  // the second the newest bucket counts
  std::uint64_t total_ = 0;
};

}  // namespace p2p::bittorrent
