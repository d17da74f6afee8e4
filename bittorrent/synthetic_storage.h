// SyntheticStorage: a synthetic torrent's storage that holds no bytes, for SimNet swarms of thousands.
#pragma once

#include <cstdint>

#include "bittorrent/storage.h"
#include "bittorrent/torrent_layout.h"

namespace p2p::bittorrent {

// The content is the generator's (synthetic_content.h), so a block is regenerated when it is read for
// upload, and a verified piece that arrives is compared with the generator and then dropped: memory stays
// the same whatever the file's size or the number of peers. The peer core still checks each piece's SHA-1
// before it writes it (BEP 3); the comparison here is the independent check that MemoryStorage's copy gets
// from matches_synthetic once the download completes, made piece by piece since there is no copy to read.
class SyntheticStorage : public Storage {
 public:
  SyntheticStorage(const TorrentLayout& layout, std::uint64_t content_seed)
      : layout_(layout), content_seed_(content_seed) {}

  Status read(PieceIndex piece, std::uint32_t begin, std::span<std::uint8_t> out) override;
  Status write_piece(PieceIndex piece, ByteView data) override;

  // Whether every piece written so far equalled the generator's bytes.
  bool intact() const { return intact_; }

 private:
  TorrentLayout layout_;
  std::uint64_t content_seed_;
  Bytes scratch_;  // the generator's bytes of the piece being compared, reused
  bool intact_ = true;
};

}  // namespace p2p::bittorrent
