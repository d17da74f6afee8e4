// The bytes of a live stream's segments when no input file is given, and a segment's size at a bitrate.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/util/bytes.h"
#include "coolstreaming/segment.h"

namespace p2p::coolstreaming {

// Payload bytes of one segment: `segment_ms` of a stream at `bitrate_kbps` (62,500 for DONet's 500 kbps in
// one-second segments), at least one.
std::size_t segment_size(std::uint32_t bitrate_kbps, std::uint32_t segment_ms);

// Segment `segment` of the synthetic stream: bytes [segment * size, (segment + 1) * size) of a fixed
// content stream (common/content/content_bytes.h), so anyone can check a segment it received.
Bytes synthetic_segment(SegmentId segment, std::size_t size);

}  // namespace p2p::coolstreaming
