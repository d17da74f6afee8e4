// TorrentLayout: piece and block sizes, and the bounds check of a request.
#include "bittorrent/torrent_layout.h"

#include <algorithm>
#include <cassert>
#include <string>

namespace p2p::bittorrent {

TorrentLayout::TorrentLayout(std::int64_t total_length, std::int64_t piece_length)
    : total_length_(total_length), piece_length_(piece_length) {
  assert(total_length >= 0 && piece_length > 0 && piece_length <= (std::int64_t{1} << 31));
  std::int64_t count = (total_length + piece_length - 1) / piece_length;
  assert(count <= std::int64_t{UINT32_MAX});
  piece_count_ = static_cast<std::uint32_t>(count);
}

std::uint32_t TorrentLayout::piece_size(PieceIndex piece) const {
  assert(piece.value < piece_count_);
  return static_cast<std::uint32_t>(std::min(piece_length_, total_length_ - piece_offset(piece)));
}

std::uint32_t TorrentLayout::block_size(PieceIndex piece, std::uint32_t block) const {
  std::uint32_t begin = block * kBlockSize;
  assert(begin < piece_size(piece));
  return std::min(kBlockSize, piece_size(piece) - begin);
}

Status TorrentLayout::check_block(PieceIndex piece, std::uint32_t begin, std::uint32_t length) const {
  if (piece.value >= piece_count_) {
    return make_error("piece " + std::to_string(piece.value) + " does not exist (" +
                      std::to_string(piece_count_) + " pieces)");
  }
  if (length == 0 || length > kBlockSize) {
    return make_error("block of " + std::to_string(length) + " bytes (1 to " + std::to_string(kBlockSize) +
                      " allowed)");
  }
  if (std::uint64_t{begin} + length > piece_size(piece)) {
    return make_error("block " + std::to_string(begin) + "+" + std::to_string(length) + " runs past piece " +
                      std::to_string(piece.value) + " of " + std::to_string(piece_size(piece)) + " bytes");
  }
  return Ok{};
}

}  // namespace p2p::bittorrent
