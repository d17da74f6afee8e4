// The common framers and the per-connection frame assembler.
#include "common/net/framer.h"

#include <algorithm>
#include <string>

namespace p2p {

Error frame_over_cap(std::string_view what, std::size_t size, std::size_t cap) {
  return make_error(std::string(what) + " of " + std::to_string(size) + " bytes exceeds the cap of " +
                    std::to_string(cap));
}

Expected<std::size_t> LengthPrefixFramer::next(ByteView buffered) {
  ByteReader reader(buffered);
  auto length = reader.u32be();
  if (!length) return std::size_t{0};
  if (*length > max_payload_) return frame_over_cap("frame", *length, max_payload_);
  std::size_t total = 4 + static_cast<std::size_t>(*length);
  return buffered.size() >= total ? total : 0;
}

Expected<std::size_t> LineFramer::next(ByteView buffered) {
  std::size_t scan = std::min(buffered.size(), max_line_);
  for (std::size_t i = 1; i < scan; ++i) {
    if (buffered[i - 1] == '\r' && buffered[i] == '\n') return i + 1;
  }
  if (buffered.size() >= max_line_) return frame_over_cap("line", buffered.size(), max_line_);
  return std::size_t{0};
}

Expected<std::size_t> ChunkFramer::next(ByteView buffered) {
  return std::min(buffered.size(), max_chunk_);
}

void FrameAssembler::append(ByteView data) {
  // Compact once the consumed prefix dominates, so a long-lived connection does not grow its buffer forever.
  if (start_ > 0 && start_ >= buffer_.size() / 2) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
  buffer_.insert(buffer_.end(), data.begin(), data.end());
}

Status FrameAssembler::feed(ByteView data, const std::function<bool(ByteView)>& on_frame) {
  while (buffered() == 0 && !data.empty()) {
    auto size = framer_->next(data);
    if (!size) return size.error();
    if (*size == 0) break;
    ByteView frame = data.first(*size);
    data = data.subspan(*size);
    if (!on_frame(frame)) {
      append(data);  // the caller stopped early: keep the rest for later
      return Ok{};
    }
  }
  append(data);
  return drain(on_frame);
}

Status FrameAssembler::drain(const std::function<bool(ByteView)>& on_frame) {
  while (start_ < buffer_.size()) {
    auto size = framer_->next(ByteView(buffer_).subspan(start_));
    if (!size) return size.error();
    if (*size == 0) break;
    ByteView frame = ByteView(buffer_).subspan(start_, *size);
    start_ += *size;
    if (!on_frame(frame)) break;
  }
  if (start_ == buffer_.size()) {
    // Nothing is left: the memory goes back too, so that the many idle connections of a large SimNet swarm
    // hold no buffer sized for the blocks they once carried.
    buffer_ = Bytes();
    start_ = 0;
  }
  return Ok{};
}

}  // namespace p2p
