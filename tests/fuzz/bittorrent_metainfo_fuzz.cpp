// Fuzz target: torrent parsing never crashes, and an accepted torrent is self-consistent (safe paths, files
// laid end to end, one hash per piece).
#include <cstdint>
#include <cstdlib>

#include "bittorrent/metainfo.h"
#include "common/content/safe_name.h"

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto meta = p2p::bittorrent::parse_metainfo(p2p::ByteView(data, size));
  if (!meta) return 0;
  std::int64_t offset = 0;
  for (const auto& file : meta->files) {
    if (file.offset != offset || file.path.empty()) std::abort();
    for (const auto& component : file.path) {
      if (!p2p::content::check_safe_name(component)) std::abort();
    }
    offset += file.length;
  }
  if (offset != meta->total_length || meta->piece_count() == 0) std::abort();
  auto layout = meta->layout();
  if (layout.piece_count() != meta->piece_count()) std::abort();
  std::uint32_t last = meta->piece_count() - 1;
  if (layout.piece_offset(p2p::bittorrent::PieceIndex(last)) +
          layout.piece_size(p2p::bittorrent::PieceIndex(last)) !=
      meta->total_length) {
    std::abort();
  }
  return 0;
}
