// PieceSet: the BEP 3 bitfield as a set of pieces.
#include "bittorrent/piece_set.h"

#include <bit>
#include <cassert>
#include <string>

namespace p2p::bittorrent {

PieceSet PieceSet::full(std::size_t piece_count) {
  PieceSet set(piece_count);
  for (std::uint32_t i = 0; i < piece_count; ++i) set.insert(PieceIndex(i));
  return set;
}

Expected<PieceSet> PieceSet::from_bitfield(ByteView bits, std::size_t piece_count) {
  PieceSet set(piece_count);
  if (bits.size() != set.bits_.size()) {
    return make_error("bitfield of " + std::to_string(bits.size()) + " bytes for " +
                      std::to_string(piece_count) + " pieces (expected " + std::to_string(set.bits_.size()) +
                      ")");
  }
  std::size_t spare = set.bits_.size() * 8 - piece_count;
  if (spare > 0 && (bits.back() & ((1u << spare) - 1)) != 0) return make_error("bitfield has spare bits set");
  set.bits_.assign(bits.begin(), bits.end());
  for (std::uint8_t byte : set.bits_) set.count_ += static_cast<std::size_t>(std::popcount(byte));
  return set;
}

bool PieceSet::insert(PieceIndex piece) {
  assert(piece.value < size_);
  std::uint8_t& byte = bits_[piece.value / 8];
  if ((byte & mask(piece)) != 0) return false;
  byte |= mask(piece);
  ++count_;
  return true;
}

bool PieceSet::has_any_missing_from(const PieceSet& other) const {
  assert(other.size_ == size_);
  for (std::size_t i = 0; i < bits_.size(); ++i) {
    if ((bits_[i] & ~other.bits_[i]) != 0) return true;
  }
  return false;
}

}  // namespace p2p::bittorrent
