// ut_metadata (BEP 9): a bencoded dictionary, then, in a data message, the raw piece.
#include "bittorrent/extension/ut_metadata.h"

#include <algorithm>
#include <string>
#include <type_traits>

#include "bittorrent/bencode.h"

namespace p2p::bittorrent::extension {
namespace {

constexpr std::int64_t kRequest = 0;
constexpr std::int64_t kData = 1;
constexpr std::int64_t kReject = 2;

Error refuse(const std::string& why) {
  return make_error("ut_metadata: " + why);
}

// The integer under `key`, which must be there.
Expected<std::int64_t> required_int(const Value& dict, std::string_view key) {
  const Value* value = dict.find(key);
  if (value == nullptr) return refuse("no '" + std::string(key) + "'");
  if (value->if_int() == nullptr) return refuse("'" + std::string(key) + "' is not an integer");
  return *value->if_int();
}

}  // namespace

bool operator==(const MetadataData& a, const MetadataData& b) {
  return a.piece == b.piece && a.total_size == b.total_size && std::ranges::equal(a.data, b.data);
}

std::size_t metadata_piece_count(std::size_t metadata_size) {
  return (metadata_size + kMetadataPieceSize - 1) / kMetadataPieceSize;
}

std::size_t metadata_piece_length(std::size_t metadata_size, std::uint32_t piece) {
  std::size_t begin = std::size_t{piece} * kMetadataPieceSize;
  return begin < metadata_size ? std::min(kMetadataPieceSize, metadata_size - begin) : 0;
}

Bytes encode_metadata_message(const MetadataMessage& message) {
  return std::visit(
      [](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, UnknownMetadataMessage>) {
          return encode(Dict{{"msg_type", m.msg_type}});
        } else if constexpr (std::is_same_v<T, MetadataData>) {
          Bytes out = encode(Dict{{"msg_type", kData}, {"piece", m.piece}, {"total_size", m.total_size}});
          out.insert(out.end(), m.data.begin(), m.data.end());
          return out;
        } else {
          return encode(Dict{{"msg_type", std::is_same_v<T, MetadataRequest> ? kRequest : kReject},
                             {"piece", m.piece}});
        }
      },
      message);
}

Expected<MetadataMessage> decode_metadata_message(ByteView payload) {
  auto prefix = decode_prefix(payload);
  if (!prefix) return refuse(prefix.reason());
  const Value& dict = prefix->value;
  if (dict.if_dict() == nullptr) return refuse("not a dictionary");
  ByteView rest = payload.subspan(prefix->length);

  auto msg_type = required_int(dict, "msg_type");
  if (!msg_type) return msg_type.error();
  if (*msg_type != kRequest && *msg_type != kData && *msg_type != kReject) {
    return MetadataMessage(UnknownMetadataMessage{*msg_type});
  }
  auto piece_number = required_int(dict, "piece");
  if (!piece_number) return piece_number.error();
  if (*piece_number < 0 || *piece_number >= static_cast<std::int64_t>(kMaxMetadataPieces)) {
    return refuse("piece " + std::to_string(*piece_number) + " is past the largest metadata");
  }
  auto piece = static_cast<std::uint32_t>(*piece_number);

  if (*msg_type != kData) {
    if (!rest.empty()) return refuse(std::to_string(rest.size()) + " bytes follow a request or reject");
    if (*msg_type == kRequest) return MetadataMessage(MetadataRequest{piece});
    return MetadataMessage(MetadataReject{piece});
  }
  auto total_size = required_int(dict, "total_size");
  if (!total_size) return total_size.error();
  if (*total_size <= 0 || *total_size > static_cast<std::int64_t>(kMaxMetadataSize)) {
    return refuse("total_size " + std::to_string(*total_size) + " is not from 1 to " +
                  std::to_string(kMaxMetadataSize));
  }
  auto total = static_cast<std::size_t>(*total_size);
  std::size_t expected = metadata_piece_length(total, piece);
  if (expected == 0) {
    return refuse("piece " + std::to_string(piece) + " is past the end of " + std::to_string(total) +
                  " bytes");
  }
  if (rest.size() != expected) {
    return refuse("piece " + std::to_string(piece) + " carries " + std::to_string(rest.size()) +
                  " bytes, not " + std::to_string(expected));
  }
  return MetadataMessage(MetadataData{piece, total, rest});
}

MetadataMessage answer_metadata_request(const MetadataRequest& request, ByteView metadata) {
  std::size_t length = metadata_piece_length(metadata.size(), request.piece);
  if (length == 0) return MetadataReject{request.piece};
  return MetadataData{request.piece, metadata.size(),
                      metadata.subspan(std::size_t{request.piece} * kMetadataPieceSize, length)};
}

}  // namespace p2p::bittorrent::extension
