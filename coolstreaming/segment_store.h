// SegmentStore: the segments a node holds, as a buffer map over its window and the bytes behind each bit.
#pragma once

#include <cstddef>
#include <map>

#include "common/util/bytes.h"
#include "coolstreaming/buffer_map.h"
#include "coolstreaming/message.h"

namespace p2p::coolstreaming {

// A node's buffer (DONet, Zhang et al., INFOCOM 2005, section 3.B): the window of segments it advertises in
// its buffer map, and their payloads, which it plays and serves to partners. Sliding the window forward
// forgets the payloads that leave it, so a node holds at most one window of video.
class SegmentStore {
 public:
  explicit SegmentStore(std::uint16_t window, SegmentId start = 0) : map_(window, start) {}

  const BufferMap& map() const { return map_; }
  // Stores a segment; false if it was held already or lies outside the window.
  bool add(SegmentId segment, Bytes payload);
  // The payload of a held segment, or nullptr.
  const Bytes* payload(SegmentId segment) const;
  // Moves the window to start at `start`; a start at or behind the current one changes nothing, and one
  // that would run the window past the last segment id is held back to the last window that fits.
  void advance_to(SegmentId start);
  // The newest segment held, or none.
  std::optional<SegmentId> newest() const;

  // The buffer map as the wire carries it.
  BufferMapMessage message(bool uploading) const;

 private:
  BufferMap map_;
  std::map<SegmentId, Bytes> payloads_;
};

}  // namespace p2p::coolstreaming
