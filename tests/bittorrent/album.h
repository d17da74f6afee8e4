// A small multi-file torrent whose pieces cross file boundaries, for the storage tests.
#pragma once

#include "bittorrent/metainfo.h"

namespace p2p::bittorrent::testing {

// "album": a.bin (40000 bytes), empty.txt (0), cd1/b.bin (30000), in 16 KiB pieces: piece 2 spans a.bin's
// end, the empty file and b.bin's start.
struct Album {
  Album() {
    for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<std::uint8_t>(i * 7 + i / 256);
    TorrentSpec spec;
    spec.announce = "http://127.0.0.1:1/announce";
    spec.name = "album";
    spec.piece_length = 16384;
    spec.files = {{{"a.bin"}, 40000}, {{"empty.txt"}, 0}, {{"cd1", "b.bin"}, 30000}};
    ByteView all(content);
    auto torrent =
        make_metainfo(spec, memory_reader({all.first(40000), all.subspan(40000, 0), all.subspan(40000)}));
    metainfo = *parse_metainfo(*torrent);
  }
  ByteView piece(std::uint32_t i) const {
    return ByteView(content).subspan(i * 16384, metainfo.piece_size(PieceIndex(i)));
  }
  Bytes content = Bytes(70000);
  Metainfo metainfo;
};

}  // namespace p2p::bittorrent::testing
