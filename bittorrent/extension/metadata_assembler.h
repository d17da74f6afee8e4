// MetadataAssembler: a torrent's info dictionary gathered piece by piece over ut_metadata (BEP 9) and
// verified against the info-hash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "bittorrent/extension/ut_metadata.h"
#include "common/util/bytes.h"
#include "common/util/expected.h"
#include "common/util/hash.h"

namespace p2p::bittorrent::extension {

struct MetadataAssemblerConfig {
  Sha1Digest info_hash{};         // from the magnet link
  std::size_t metadata_size = 0;  // from a peer's extension handshake (`metadata_size`)
};

// Tracks which pieces of the metadata are missing, asked for and held, for one torrent whatever the peers
// that send them. Only the whole can be checked (BEP 9: the info-hash is the SHA-1 of the info dictionary),
// so when the last piece arrives and the hash differs, every piece is dropped and asked for again, and the
// reset is counted: one bad peer costs a round, never a wrong torrent.
class MetadataAssembler {
 public:
  // What on_data did with a piece.
  enum class Progress {
    Stored,        // kept; pieces are still missing
    Duplicate,     // already held (or the metadata is complete): ignored
    Complete,      // the last piece, and the whole matches the info-hash
    CorruptReset,  // the last piece, but the whole does not match: everything is to be asked again
  };

  // Refuses a metadata_size of 0 or over kMaxMetadataSize: the claim of a broken or hostile peer.
  static Expected<MetadataAssembler> create(const MetadataAssemblerConfig& config);

  // The lowest piece neither held nor asked for, now marked as asked; nullopt when there is none.
  std::optional<std::uint32_t> next_request();
  // The peer asked for `piece` rejected it or went away: it is to be asked again.
  void release(std::uint32_t piece);
  // Refuses data whose total_size is not this metadata's size or whose piece is not one of it: the sender
  // is broken or lying. Data that was not asked for is kept all the same if the piece is missing.
  Expected<Progress> on_data(const MetadataData& data);

  bool complete() const { return complete_; }
  // The verified info dictionary, once complete().
  ByteView metadata() const;
  std::size_t piece_count() const { return states_.size(); }
  std::size_t corrupt_resets() const { return corrupt_resets_; }

 private:
  enum class PieceState { Missing, Requested, Held };

  explicit MetadataAssembler(const MetadataAssemblerConfig& config);

  Sha1Digest info_hash_;
  Bytes buffer_;
  std::vector<PieceState> states_;
  std::size_t held_ = 0;
  std::size_t corrupt_resets_ = 0;
  bool complete_ = false;
};

}  // namespace p2p::bittorrent::extension
