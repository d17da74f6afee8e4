// Checking stored pieces against the torrent's hashes.
#include "bittorrent/storage.h"

#include <cstring>
#include <optional>

namespace p2p::bittorrent {

namespace {

// The first byte is zero and each byte equals the next: memcmp runs at memory speed.
bool all_zero(ByteView bytes) {
  return bytes.empty() ||
         (bytes[0] == 0 && std::memcmp(bytes.data(), bytes.data() + 1, bytes.size() - 1) == 0);
}

}  // namespace

PieceSet verify_pieces(Storage& storage, const Metainfo& metainfo) {
  TorrentLayout layout = metainfo.layout();
  PieceSet have(layout.piece_count());
  Bytes buffer(static_cast<std::size_t>(std::min(layout.piece_length(), layout.total_length())));
  // A fresh download is pre-allocated files full of zeros: a piece of zeros is checked against the hash of
  // zeros (one per piece size, computed once), which is many times cheaper than hashing it again.
  std::optional<Sha1Digest> zeros, short_zeros;
  for (std::uint32_t i = 0; i < layout.piece_count(); ++i) {
    PieceIndex piece(i);
    std::span<std::uint8_t> bytes = std::span(buffer).first(layout.piece_size(piece));
    if (!storage.read(piece, 0, bytes)) continue;
    Sha1Digest digest;
    if (all_zero(bytes)) {
      std::optional<Sha1Digest>& cached = bytes.size() == buffer.size() ? zeros : short_zeros;
      if (!cached) cached = sha1(bytes);
      digest = *cached;
    } else {
      digest = sha1(bytes);
    }
    if (digest == metainfo.piece_hashes[i]) have.insert(piece);
  }
  return have;
}

}  // namespace p2p::bittorrent
