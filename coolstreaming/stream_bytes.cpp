// The synthetic stream: a counter-mode content stream cut into segments.
#include "coolstreaming/stream_bytes.h"

#include <algorithm>

#include "common/content/content_bytes.h"

namespace p2p::coolstreaming {
namespace {

// The content id of the synthetic stream: any fixed number; "DONet" in ASCII.
constexpr std::uint64_t kStreamContentId = 0x444f4e6574;

}  // namespace

std::size_t segment_size(std::uint32_t bitrate_kbps, std::uint32_t segment_ms) {
  const std::uint64_t bits = std::uint64_t{bitrate_kbps} * 1000 * segment_ms / 1000;
  return std::max<std::size_t>(1, static_cast<std::size_t>(bits / 8));
}

Bytes synthetic_segment(SegmentId segment, std::size_t size) {
  Bytes out(size);
  content::content_bytes(kStreamContentId, std::uint64_t{segment} * size, out);
  return out;
}

}  // namespace p2p::coolstreaming
