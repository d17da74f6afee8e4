// ut_metadata (BEP 9): the messages that carry a torrent's info dictionary (its "metadata") between peers in
// 16 KiB pieces, so that a magnet link, which holds only the info-hash, is enough to join a swarm.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "bittorrent/wire.h"
#include "common/util/bytes.h"
#include "common/util/expected.h"

namespace p2p::bittorrent::extension {

// The name the extension goes by in the `m` dictionary of the extension handshake.
inline constexpr std::string_view kUtMetadata = "ut_metadata";

// BEP 9, "metadata": pieces of 16 KiB, the last one shorter.
inline constexpr std::size_t kMetadataPieceSize = 16384;
// The largest metadata p2plab accepts: what bittorrent::decode reads at most (DecodeLimits::max_input), so
// a peer that claims more cannot make a node set aside memory for it.
inline constexpr std::size_t kMaxMetadataSize = std::size_t{16} << 20;
inline constexpr std::size_t kMaxMetadataPieces = kMaxMetadataSize / kMetadataPieceSize;
// A data message (its dictionary, then a whole piece) fits in an extended message.
static_assert(kMetadataPieceSize + 64 <= kMaxExtendedPayload);

// The three messages of BEP 9, by `msg_type`: 0 request, 1 data, 2 reject.
struct MetadataRequest {
  std::uint32_t piece = 0;
  friend bool operator==(const MetadataRequest&, const MetadataRequest&) = default;
};
struct MetadataData {
  std::uint32_t piece = 0;
  std::size_t total_size = 0;  // of the whole metadata, as `metadata_size` in the extension handshake
  ByteView data;               // the piece: a view into the decoded payload
  friend bool operator==(const MetadataData& a, const MetadataData& b);
};
struct MetadataReject {
  std::uint32_t piece = 0;
  friend bool operator==(const MetadataReject&, const MetadataReject&) = default;
};
// BEP 9: "unrecognized message IDs MUST be ignored", so another msg_type decodes and is then left alone.
struct UnknownMetadataMessage {
  std::int64_t msg_type = 0;
  friend bool operator==(const UnknownMetadataMessage&, const UnknownMetadataMessage&) = default;
};
using MetadataMessage = std::variant<MetadataRequest, MetadataData, MetadataReject, UnknownMetadataMessage>;

// How many pieces metadata of `metadata_size` bytes is cut into, and how long piece `piece` of it is (0 for
// a piece past the end).
std::size_t metadata_piece_count(std::size_t metadata_size);
std::size_t metadata_piece_length(std::size_t metadata_size, std::uint32_t piece);

// The dictionary {msg_type, piece[, total_size]}, with a data message's piece right after it.
Bytes encode_metadata_message(const MetadataMessage& message);
// Refuses with a reason: a payload that does not start with a bencoded dictionary; `msg_type` or `piece`
// missing or not an integer; a piece past kMaxMetadataPieces; bytes after a request's or a reject's
// dictionary; a data message whose `total_size` is missing, 0 or over kMaxMetadataSize, whose piece lies past
// the end of that size, or whose data is not exactly that piece's length (16 KiB, or the rest for the last).
Expected<MetadataMessage> decode_metadata_message(ByteView payload);

// What a peer answers a request with (BEP 9, "request"): the piece, or a reject when it does not hold the
// whole verified metadata (`metadata` empty) or the piece lies past its end.
MetadataMessage answer_metadata_request(const MetadataRequest& request, ByteView metadata);

}  // namespace p2p::bittorrent::extension
