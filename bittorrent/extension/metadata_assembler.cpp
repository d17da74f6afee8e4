// MetadataAssembler: pieces into one buffer, checked with SHA-1 once the last one arrives.
#include "bittorrent/extension/metadata_assembler.h"

#include <algorithm>
#include <cassert>
#include <string>

namespace p2p::bittorrent::extension {

Expected<MetadataAssembler> MetadataAssembler::create(const MetadataAssemblerConfig& config) {
  if (config.metadata_size == 0 || config.metadata_size > kMaxMetadataSize) {
    return make_error("ut_metadata: a metadata_size of " + std::to_string(config.metadata_size) +
                      " bytes is not from 1 to " + std::to_string(kMaxMetadataSize));
  }
  return MetadataAssembler(config);
}

MetadataAssembler::MetadataAssembler(const MetadataAssemblerConfig& config)
    : info_hash_(config.info_hash),
      buffer_(config.metadata_size),
      states_(metadata_piece_count(config.metadata_size), PieceState::Missing) {}

std::optional<std::uint32_t> MetadataAssembler::next_request() {
  auto missing = std::ranges::find(states_, PieceState::Missing);
  if (missing == states_.end()) return std::nullopt;
  *missing = PieceState::Requested;
  return static_cast<std::uint32_t>(missing - states_.begin());
}

void MetadataAssembler::release(std::uint32_t piece) {
  if (piece < states_.size() && states_[piece] == PieceState::Requested) states_[piece] = PieceState::Missing;
}

Expected<MetadataAssembler::Progress> MetadataAssembler::on_data(const MetadataData& data) {
  if (data.total_size != buffer_.size()) {
    return make_error("ut_metadata: total_size " + std::to_string(data.total_size) + " is not the " +
                      std::to_string(buffer_.size()) + " bytes announced");
  }
  if (data.piece >= states_.size() || data.data.size() != metadata_piece_length(buffer_.size(), data.piece)) {
    return make_error("ut_metadata: piece " + std::to_string(data.piece) + " of " +
                      std::to_string(data.data.size()) + " bytes is not a piece of this metadata");
  }
  if (complete_ || states_[data.piece] == PieceState::Held) return Progress::Duplicate;

  std::ranges::copy(data.data,
                    buffer_.begin() + static_cast<std::ptrdiff_t>(data.piece * kMetadataPieceSize));
  states_[data.piece] = PieceState::Held;
  if (++held_ < states_.size()) return Progress::Stored;

  if (sha1(buffer_) == info_hash_) {
    complete_ = true;
    return Progress::Complete;
  }
  std::ranges::fill(states_, PieceState::Missing);
  held_ = 0;
  ++corrupt_resets_;
  return Progress::CorruptReset;
}

ByteView MetadataAssembler::metadata() const {
  assert(complete_);
  return buffer_;
}

}  // namespace p2p::bittorrent::extension
