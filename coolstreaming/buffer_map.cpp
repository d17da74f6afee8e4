// BufferMap: the ring under the sliding window, and the bitmap partners exchange.
#include "coolstreaming/buffer_map.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <string>

namespace p2p::coolstreaming {
namespace {

constexpr std::uint64_t kSegmentRange = std::uint64_t{std::numeric_limits<SegmentId>::max()} + 1;

bool fits_segment_range(SegmentId start, std::uint16_t length) {
  return std::uint64_t{start} + length <= kSegmentRange;
}

std::size_t packed_size(std::uint16_t length) {
  return (length + 7u) / 8u;
}

std::uint8_t bit_mask(std::size_t index) {
  return static_cast<std::uint8_t>(0x80u >> (index % 8));
}

}  // namespace

BufferMap::BufferMap(std::uint16_t length, SegmentId start) : slots_(length), start_(start), length_(length) {
  assert(length > 0);
  assert(fits_segment_range(start, length));
}

Expected<BufferMap> BufferMap::unpack(SegmentId start, std::uint16_t length, ByteView bits) {
  if (length == 0) return make_error("buffer map with an empty window");
  if (!fits_segment_range(start, length)) {
    return make_error("buffer map window " + std::to_string(start) + "+" + std::to_string(length) +
                      " runs past the last segment id");
  }
  if (bits.size() != packed_size(length)) {
    return make_error("buffer map of " + std::to_string(bits.size()) + " bytes for a window of " +
                      std::to_string(length) + " segments (expected " + std::to_string(packed_size(length)) +
                      ")");
  }
  BufferMap map(length, start);
  for (std::size_t i = 0; i < bits.size() * 8; ++i) {
    if ((bits[i / 8] & bit_mask(i)) == 0) continue;
    if (i >= length) return make_error("buffer map has bits set past its window");
    map.set(start + static_cast<SegmentId>(i));
  }
  return map;
}

Bytes BufferMap::packed() const {
  Bytes bits(packed_size(length_));
  for (std::size_t i = 0; i < length_; ++i) {
    if (slots_[slot(start_ + static_cast<SegmentId>(i))]) bits[i / 8] |= bit_mask(i);
  }
  return bits;
}

bool BufferMap::set(SegmentId segment) {
  if (!in_window(segment)) return false;
  auto held = slots_[slot(segment)];
  if (held) return false;
  held = true;
  ++count_;
  return true;
}

void BufferMap::advance_to(SegmentId new_start) {
  assert(new_start >= start_);
  assert(fits_segment_range(new_start, length_));
  // Only the segments that leave need clearing; past a whole window's slide, that is every slot.
  const SegmentId leaving = static_cast<SegmentId>(std::min<std::uint64_t>(new_start - start_, length_));
  for (SegmentId i = 0; i < leaving; ++i) {
    auto held = slots_[slot(start_ + i)];
    if (held) {
      held = false;
      --count_;
    }
  }
  start_ = new_start;
}

std::vector<SegmentId> BufferMap::missing(SegmentId from, SegmentId to) const {
  std::vector<SegmentId> out;
  const SegmentId first = std::max(from, start_);
  const SegmentId until = std::min(to, last());
  for (std::uint64_t s = first; s <= until; ++s) {
    if (!has(static_cast<SegmentId>(s))) out.push_back(static_cast<SegmentId>(s));
  }
  return out;
}

bool operator==(const BufferMap& a, const BufferMap& b) {
  return a.start_ == b.start_ && a.length_ == b.length_ && a.packed() == b.packed();
}

}  // namespace p2p::coolstreaming
