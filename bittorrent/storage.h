// Storage: where a peer keeps the torrent's bytes (an interface: on disk for processes, in memory for
// SimNet).
#pragma once

#include <cstdint>
#include <span>

#include "bittorrent/metainfo.h"
#include "bittorrent/piece_set.h"
#include "common/util/bytes.h"
#include "common/util/expected.h"

namespace p2p::bittorrent {

// The torrent's content as one run of bytes (BEP 3: files concatenated in order), addressed by piece. The
// peer core writes only whole pieces that passed their SHA-1 check, and reads blocks to upload; it never
// learns whether they live in files or in memory. A failing read or write is an error value, not an
// exception.
class Storage {
 public:
  virtual ~Storage() = default;
  // Fills `out` with the bytes at `begin` within `piece`; the range is inside the piece (the caller checked).
  virtual Status read(PieceIndex piece, std::uint32_t begin, std::span<std::uint8_t> out) = 0;
  // Stores a whole verified piece.
  virtual Status write_piece(PieceIndex piece, ByteView data) = 0;
};

// The pieces `storage` already holds intact: each is read and checked against its SHA-1, as a client resuming
// a download must before it announces anything (a crash may have left a piece half written).
PieceSet verify_pieces(Storage& storage, const Metainfo& metainfo);

}  // namespace p2p::bittorrent
