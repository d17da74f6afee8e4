// Segment ids and the DONet window defaults that the buffer map, scheduler and player share.
#pragma once

#include <cstdint>

namespace p2p::coolstreaming {

// A segment's number, counted from 0 at the start of the stream. DONet cuts the stream into segments of
// uniform length (1 s in the paper, Zhang et al., INFOCOM 2005, section 3.B) and names each by its place.
using SegmentId = std::uint32_t;

// The buffer window in segments: about 120 in DONet (section 3.B), two minutes of one-second segments.
inline constexpr std::uint16_t kDefaultWindow = 120;

}  // namespace p2p::coolstreaming
