// Synthetic content: bytes from common/content's generator, and the torrent over them.
#include "bittorrent/synthetic_content.h"

#include "common/content/content_bytes.h"

namespace p2p::bittorrent {

ContentReader synthetic_reader(std::uint64_t content_seed) {
  return [content_seed](std::size_t, std::int64_t offset, std::span<std::uint8_t> out) {
    content::content_bytes(content_seed, static_cast<std::uint64_t>(offset), out);
    return Status(Ok{});
  };
}

Bytes synthetic_bytes(const SyntheticContent& content) {
  Bytes out(static_cast<std::size_t>(content.size));
  content::content_bytes(content.content_seed, 0, out);
  return out;
}

Expected<Bytes> make_synthetic_torrent(const SyntheticContent& content) {
  TorrentSpec spec;
  spec.announce = content.announce;
  spec.name = content.name;
  spec.piece_length = content.piece_length;
  spec.files = {SourceFile{{}, content.size}};
  return make_metainfo(spec, synthetic_reader(content.content_seed));
}

bool matches_synthetic(Storage& storage, const TorrentLayout& layout, std::uint64_t content_seed) {
  Bytes stored, original;
  for (std::uint32_t i = 0; i < layout.piece_count(); ++i) {
    PieceIndex piece(i);
    stored.resize(layout.piece_size(piece));
    original.resize(stored.size());
    if (!storage.read(piece, 0, stored)) return false;
    content::content_bytes(content_seed, static_cast<std::uint64_t>(layout.piece_offset(piece)), original);
    if (stored != original) return false;
  }
  return true;
}

}  // namespace p2p::bittorrent
