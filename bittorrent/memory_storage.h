// MemoryStorage: a torrent's bytes in one buffer, for SimNet swarms, tests and synthetic labs.
#pragma once

#include "bittorrent/storage.h"
#include "bittorrent/torrent_layout.h"

namespace p2p::bittorrent {

// The whole content in memory, zero-filled until pieces arrive (or filled at once, for a seed). Cheap enough
// for a hundred peers of a few MiB in one SimNet process, and free of any disk.
class MemoryStorage : public Storage {
 public:
  explicit MemoryStorage(const TorrentLayout& layout)
      : layout_(layout), bytes_(static_cast<std::size_t>(layout.total_length())) {}
  // A seed's storage, holding `content` (which must be the torrent's whole length).
  MemoryStorage(const TorrentLayout& layout, Bytes content);

  Status read(PieceIndex piece, std::uint32_t begin, std::span<std::uint8_t> out) override;
  Status write_piece(PieceIndex piece, ByteView data) override;

  ByteView content() const { return bytes_; }

 private:
  TorrentLayout layout_;
  Bytes bytes_;
};

}  // namespace p2p::bittorrent
