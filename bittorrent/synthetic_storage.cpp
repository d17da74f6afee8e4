// SyntheticStorage: blocks copied from the shared content on read, pieces compared with it on write.
#include "bittorrent/synthetic_storage.h"

#include <algorithm>

namespace p2p::bittorrent {

ByteView SyntheticStorage::slice(std::int64_t offset, std::size_t size) const {
  if (offset < 0 || offset + static_cast<std::int64_t>(size) > layout_.total_length() ||
      static_cast<std::size_t>(offset) + size > content_->size())
    return {};
  return ByteView(*content_).subspan(static_cast<std::size_t>(offset), size);
}

Status SyntheticStorage::read(PieceIndex piece, std::uint32_t begin, std::span<std::uint8_t> out) {
  ByteView bytes = slice(layout_.piece_offset(piece) + begin, out.size());
  if (bytes.size() != out.size()) return make_error("storage: read past the end");
  std::ranges::copy(bytes, out.begin());
  return Ok{};
}

Status SyntheticStorage::write_piece(PieceIndex piece, ByteView data) {
  ByteView original = slice(layout_.piece_offset(piece), data.size());
  if (original.size() != data.size()) return make_error("storage: write past the end");
  intact_ = intact_ && std::ranges::equal(data, original);
  return Ok{};
}

}  // namespace p2p::bittorrent
