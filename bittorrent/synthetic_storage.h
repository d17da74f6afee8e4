// SyntheticStorage: a synthetic torrent's storage that holds no bytes of its own, for SimNet swarms of
// thousands.
#pragma once

#include <memory>

#include "bittorrent/storage.h"
#include "bittorrent/torrent_layout.h"

namespace p2p::bittorrent {

// Every peer of a lab reads its blocks from one copy of the synthetic file (synthetic_bytes), made once and
// shared, and a verified piece that arrives is compared with that copy and then dropped: memory grows with
// the file, not with the file times the number of peers. (Regenerating each block from the generator
// instead took a tenth of a 1,000-peer run's CPU.) The peer core still checks each piece's SHA-1 before it
// writes it (BEP 3); the comparison here is the independent check that MemoryStorage's copy gets from
// matches_synthetic once the download completes, made piece by piece since there is no copy to read.
class SyntheticStorage : public Storage {
 public:
  SyntheticStorage(const TorrentLayout& layout, std::shared_ptr<const Bytes> content)
      : layout_(layout), content_(std::move(content)) {}

  Status read(PieceIndex piece, std::uint32_t begin, std::span<std::uint8_t> out) override;
  Status write_piece(PieceIndex piece, ByteView data) override;

  // Whether every piece written so far equalled the shared copy.
  bool intact() const { return intact_; }

 private:
  // The bytes of the content at `offset`, or an empty view if they run past its end.
  ByteView slice(std::int64_t offset, std::size_t size) const;

  TorrentLayout layout_;
  std::shared_ptr<const Bytes> content_;
  bool intact_ = true;
};

}  // namespace p2p::bittorrent
