// SyntheticStorage: blocks regenerated on read, pieces compared with the generator on write.
#include "bittorrent/synthetic_storage.h"

#include <algorithm>

#include "common/content/content_bytes.h"

namespace p2p::bittorrent {

Status SyntheticStorage::read(PieceIndex piece, std::uint32_t begin, std::span<std::uint8_t> out) {
  std::int64_t offset = layout_.piece_offset(piece) + begin;
  if (offset + static_cast<std::int64_t>(out.size()) > layout_.total_length())
    return make_error("storage: read past the end");
  content::content_bytes(content_seed_, static_cast<std::uint64_t>(offset), out);
  return Ok{};
}

Status SyntheticStorage::write_piece(PieceIndex piece, ByteView data) {
  if (layout_.piece_offset(piece) + static_cast<std::int64_t>(data.size()) > layout_.total_length())
    return make_error("storage: write past the end");
  scratch_.resize(data.size());
  content::content_bytes(content_seed_, static_cast<std::uint64_t>(layout_.piece_offset(piece)), scratch_);
  intact_ = intact_ && std::ranges::equal(data, scratch_);
  return Ok{};
}

}  // namespace p2p::bittorrent
