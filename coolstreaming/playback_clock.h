// PlaybackClock: when each segment is due at the player, the deadline the scheduler plans against.
#pragma once

#include <cstdint>

#include "common/util/time.h"
#include "coolstreaming/segment.h"

namespace p2p::coolstreaming {

// The stream's clock as the player runs it: segment `first` is due at `origin` and each later one a segment
// length after the one before (DONet, section 3.C: a segment must arrive before its "playback deadline").
struct PlaybackClock {
  TimePoint origin{};
  SegmentId first = 0;
  Duration segment = std::chrono::seconds(1);

  TimePoint due(SegmentId id) const {
    return origin + (static_cast<std::int64_t>(id) - static_cast<std::int64_t>(first)) * segment;
  }
};

}  // namespace p2p::coolstreaming
