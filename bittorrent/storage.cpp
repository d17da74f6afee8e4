// Checking stored pieces against the torrent's hashes.
#include "bittorrent/storage.h"

namespace p2p::bittorrent {

PieceSet verify_pieces(Storage& storage, const Metainfo& metainfo) {
  TorrentLayout layout = metainfo.layout();
  PieceSet have(layout.piece_count());
  Bytes buffer(static_cast<std::size_t>(std::min(layout.piece_length(), layout.total_length())));
  for (std::uint32_t i = 0; i < layout.piece_count(); ++i) {
    PieceIndex piece(i);
    std::span<std::uint8_t> bytes = std::span(buffer).first(layout.piece_size(piece));
    if (storage.read(piece, 0, bytes) && sha1(bytes) == metainfo.piece_hashes[i]) have.insert(piece);
  }
  return have;
}

}  // namespace p2p::bittorrent
