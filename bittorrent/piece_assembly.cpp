// PieceAssembly: block copies into recycled piece buffers, and the SHA-1 check of a whole piece.
#include "bittorrent/piece_assembly.h"

#include <cassert>
#include <cstring>

namespace p2p::bittorrent {

void PieceAssembly::add(PieceIndex piece, std::uint32_t begin, ByteView block) {
  auto [it, fresh] = buffers_.try_emplace(piece.value);
  Bytes& buffer = it->second;
  if (fresh) {
    if (!spare_.empty()) {
      buffer = std::move(spare_.back());
      spare_.pop_back();
    }
    buffer.resize(layout_.piece_size(piece));
  }
  assert(begin + block.size() <= buffer.size());
  // memcpy, not an element-wise copy: every downloaded byte passes here.
  std::memcpy(buffer.data() + begin, block.data(), block.size());
}

bool PieceAssembly::verify(PieceIndex piece) const {
  auto it = buffers_.find(piece.value);
  return it != buffers_.end() && sha1(it->second) == metainfo_.piece_hashes[piece.value];
}

ByteView PieceAssembly::data(PieceIndex piece) const {
  return buffers_.at(piece.value);
}

void PieceAssembly::drop(PieceIndex piece) {
  auto it = buffers_.find(piece.value);
  if (it == buffers_.end()) return;
  // A handful of spares covers the pieces in flight at once; more would only hold memory.
  if (spare_.size() < 8) spare_.push_back(std::move(it->second));
  buffers_.erase(it);
}

}  // namespace p2p::bittorrent
