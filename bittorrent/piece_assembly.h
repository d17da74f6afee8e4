// PieceAssembly: the buffers where blocks of unfinished pieces gather until the piece can be hashed.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "bittorrent/metainfo.h"

namespace p2p::bittorrent {

// Holds each started piece in memory until all its blocks are in, then checks it against the torrent's SHA-1
// (BEP 3: "pieces" is the hash of each piece; a client announces a piece with have only once it checks).
// Nothing unverified ever reaches the storage, so a bad block costs one piece buffer, not a corrupt file.
// Buffers are recycled, since a download starts thousands of pieces of the same size.
class PieceAssembly {
 public:
  explicit PieceAssembly(const Metainfo& metainfo) : metainfo_(metainfo), layout_(metainfo.layout()) {}

  // Copies a block (already checked to lie inside the piece) into its piece's buffer.
  void add(PieceIndex piece, std::uint32_t begin, ByteView block);
  // Whether the gathered piece matches its hash.
  bool verify(PieceIndex piece) const;
  // The gathered bytes of a piece that has a buffer.
  ByteView data(PieceIndex piece) const;
  // Frees the piece's buffer (after it was stored, or failed).
  void drop(PieceIndex piece);
  std::size_t in_progress() const { return buffers_.size(); }

 private:
  const Metainfo& metainfo_;
  TorrentLayout layout_;
  std::unordered_map<std::uint32_t, Bytes> buffers_;
  std::vector<Bytes> spare_;
};

}  // namespace p2p::bittorrent
