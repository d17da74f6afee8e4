// MemoryStorage: pieces copied in and blocks copied out of one buffer.
#include "bittorrent/memory_storage.h"

#include <algorithm>
#include <cassert>

namespace p2p::bittorrent {

MemoryStorage::MemoryStorage(const TorrentLayout& layout, Bytes content)
    : layout_(layout), bytes_(std::move(content)) {
  assert(bytes_.size() == static_cast<std::size_t>(layout.total_length()));
}

Status MemoryStorage::read(PieceIndex piece, std::uint32_t begin, std::span<std::uint8_t> out) {
  std::size_t offset = static_cast<std::size_t>(layout_.piece_offset(piece)) + begin;
  if (offset + out.size() > bytes_.size()) return make_error("storage: read past the end");
  std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(offset), out.size(), out.begin());
  return Ok{};
}

Status MemoryStorage::write_piece(PieceIndex piece, ByteView data) {
  std::size_t offset = static_cast<std::size_t>(layout_.piece_offset(piece));
  if (offset + data.size() > bytes_.size()) return make_error("storage: write past the end");
  std::ranges::copy(data, bytes_.begin() + static_cast<std::ptrdiff_t>(offset));
  return Ok{};
}

}  // namespace p2p::bittorrent
