// BufferMap: the DONet buffer, a sliding window of segments kept as a ring, and its wire view.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/util/bytes.h"
#include "common/util/expected.h"
#include "coolstreaming/segment.h"

namespace p2p::coolstreaming {

// Which segments of a sliding window a node holds (DONet, Zhang et al., INFOCOM 2005, section 3.B: the
// buffer map, a bitmap over a window of about 120 one-second segments that partners exchange with the
// window's start).
//
// The window covers [start, start + length). Segment s lives in slot s % length of a ring, so sliding the
// window forward clears only the slots that leave it and never moves the others: after the slide, the same
// slots serve the segments that entered. The window never runs past the last 32-bit segment id, so
// start + length - 1 always fits a SegmentId.
class BufferMap {
 public:
  explicit BufferMap(std::uint16_t length = kDefaultWindow, SegmentId start = 0);

  // A partner's buffer map from the wire: bit i (most significant bit of byte 0 first) is segment
  // start + i. Refuses an empty window, a window that runs past the 32-bit segment range, a bitmap of the
  // wrong size, and set bits beyond the window (the padding of the last byte must be zero).
  static Expected<BufferMap> unpack(SegmentId start, std::uint16_t length, ByteView bits);
  // The wire view of this map, ceil(length / 8) bytes laid out as unpack() reads them.
  Bytes packed() const;

  SegmentId start() const { return start_; }
  std::uint16_t length() const { return length_; }
  // The last segment of the window (start + length - 1, which always fits).
  SegmentId last() const { return start_ + (length_ - 1u); }
  bool in_window(SegmentId segment) const { return segment >= start_ && segment - start_ < length_; }

  // Whether the segment is held; a segment outside the window is not.
  bool has(SegmentId segment) const { return in_window(segment) && slots_[slot(segment)]; }
  // Stores a segment. Returns false if it was held already or lies outside the window (too late, or too far
  // ahead), so the caller can count duplicates and strays.
  bool set(SegmentId segment);
  // Slides the window forward so it starts at `new_start`: the segments before it leave (their slots are
  // cleared) and the slots are reused for the segments that enter, empty. A start behind the current one is
  // a bug (the window only moves forward), as is one that would run the window past the segment range.
  void advance_to(SegmentId new_start);

  // How many segments of the window are held.
  std::size_t count() const { return count_; }
  // The segments of [from, to] that lie in the window and are not held, in order.
  std::vector<SegmentId> missing(SegmentId from, SegmentId to) const;

  // Equal when they cover the same window and hold the same segments, wherever their rings start.
  friend bool operator==(const BufferMap& a, const BufferMap& b);

 private:
  std::size_t slot(SegmentId segment) const { return segment % length_; }

  std::vector<bool> slots_;
  SegmentId start_;
  std::uint16_t length_;
  std::size_t count_ = 0;
};

}  // namespace p2p::coolstreaming
