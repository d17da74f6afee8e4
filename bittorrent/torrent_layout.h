// TorrentLayout: how a torrent's bytes divide into pieces and 16 KiB blocks, and which requests fit them.
#pragma once

#include <cstdint>

#include "bittorrent/piece_set.h"
#include "common/util/expected.h"

namespace p2p::bittorrent {

// The unit of a request (BEP 3: "all current implementations use 2^14 (16 kiB), and close connections which
// request an amount greater than that").
inline constexpr std::uint32_t kBlockSize = 16 * 1024;

// Piece and block geometry: every piece is `piece_length` bytes but the last, which holds the remainder;
// every block is kBlockSize but the last of each piece. Shared by the picker, the storage and the peer, so
// they agree on where the short piece and the short block are.
class TorrentLayout {
 public:
  // Requires 0 < piece_length <= 2^31 and a total that makes at most 2^32 - 1 pieces (metainfo enforces
  // both).
  TorrentLayout(std::int64_t total_length, std::int64_t piece_length);

  std::int64_t total_length() const { return total_length_; }
  std::int64_t piece_length() const { return piece_length_; }
  std::uint32_t piece_count() const { return piece_count_; }

  std::int64_t piece_offset(PieceIndex piece) const { return std::int64_t{piece.value} * piece_length_; }
  std::uint32_t piece_size(PieceIndex piece) const;
  std::uint32_t block_count(PieceIndex piece) const {
    return (piece_size(piece) + kBlockSize - 1) / kBlockSize;
  }
  std::uint32_t block_size(PieceIndex piece, std::uint32_t block) const;

  // Whether a request (or the block of a piece message) lies inside an existing piece and is 1 byte to
  // 16 KiB long. The reason names the rule broken, for the peer's close reason.
  Status check_block(PieceIndex piece, std::uint32_t begin, std::uint32_t length) const;

 private:
  std::int64_t total_length_;
  std::int64_t piece_length_;
  std::uint32_t piece_count_;
};

}  // namespace p2p::bittorrent
