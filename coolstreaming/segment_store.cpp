// SegmentStore: payloads kept beside the bits of the buffer map, dropped as the window slides.
#include "coolstreaming/segment_store.h"

#include <limits>

namespace p2p::coolstreaming {

bool SegmentStore::add(SegmentId segment, Bytes payload) {
  if (!map_.set(segment)) return false;
  payloads_[segment] = std::move(payload);
  return true;
}

const Bytes* SegmentStore::payload(SegmentId segment) const {
  auto it = payloads_.find(segment);
  return it == payloads_.end() ? nullptr : &it->second;
}

void SegmentStore::advance_to(SegmentId start) {
  const SegmentId last_start = std::numeric_limits<SegmentId>::max() - (map_.length() - 1u);
  if (start > last_start) start = last_start;
  if (start <= map_.start()) return;
  map_.advance_to(start);
  payloads_.erase(payloads_.begin(), payloads_.lower_bound(start));
}

std::optional<SegmentId> SegmentStore::newest() const {
  if (payloads_.empty()) return std::nullopt;
  return payloads_.rbegin()->first;
}

BufferMapMessage SegmentStore::message(bool uploading) const {
  return BufferMapMessage{.window_start = map_.start(),
                          .window_length = map_.length(),
                          .uploading = uploading,
                          .bitmap = map_.packed()};
}

}  // namespace p2p::coolstreaming
