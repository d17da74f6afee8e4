// PieceSet: which pieces a peer has (or we have), stored as the BEP 3 bitfield it travels as.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/util/bytes.h"
#include "common/util/expected.h"
#include "common/util/ids.h"

namespace p2p::bittorrent {

// A piece's position in the torrent, counted from 0 (BEP 3 "index"). Its own type so it is never mixed up
// with a block number or a byte offset.
using PieceIndex = StrongId<struct PieceTag, std::uint32_t>;

// A set of piece indexes over a torrent of `size()` pieces. The bytes are the wire form of the BEP 3
// bitfield message (piece 0 is the high bit of the first byte; spare bits at the end are zero), so sending
// ours and reading a peer's is a copy, and "does this peer have anything I lack" is a byte-wise scan.
class PieceSet {
 public:
  PieceSet() = default;
  explicit PieceSet(std::size_t piece_count) : bits_((piece_count + 7) / 8), size_(piece_count) {}
  static PieceSet full(std::size_t piece_count);
  // A peer's bitfield message payload. BEP 3: the length must be exactly ceil(pieces / 8) and "clients should
  // drop the connection if they receive bitfields that are not of the correct size, or if the bitfield has
  // any of the spare bits set".
  static Expected<PieceSet> from_bitfield(ByteView bits, std::size_t piece_count);

  ByteView bitfield() const { return bits_; }
  std::size_t size() const { return size_; }
  std::size_t count() const { return count_; }
  bool none() const { return count_ == 0; }
  bool all() const { return count_ == size_; }

  bool has(PieceIndex piece) const {
    return piece.value < size_ && (bits_[piece.value / 8] & mask(piece)) != 0;
  }
  // Adds a piece; returns false if it was already there (a repeated Have).
  bool insert(PieceIndex piece);
  // Whether this set holds a piece that `other` lacks: is a peer with this set interesting to us?
  bool has_any_missing_from(const PieceSet& other) const;

  friend bool operator==(const PieceSet&, const PieceSet&) = default;

 private:
  static std::uint8_t mask(PieceIndex piece) { return static_cast<std::uint8_t>(0x80u >> (piece.value % 8)); }

  Bytes bits_;
  std::size_t size_ = 0;
  std::size_t count_ = 0;
};

}  // namespace p2p::bittorrent
