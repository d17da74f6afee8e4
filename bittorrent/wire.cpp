// The peer wire protocol (BEP 3): handshake and message codecs with strict lengths, and the WireFramer.
#include "bittorrent/wire.h"

#include <algorithm>
#include <string>
#include <type_traits>

#include "bittorrent/torrent_layout.h"

namespace p2p::bittorrent {
namespace {

constexpr std::size_t kLengthPrefix = 4;

// The payload size (after the id) that BEP 3 fixes for each id; -1 where it varies.
constexpr int kPayloadSize[] = {0, 0, 0, 0, 4, -1, 12, -1, 12, 2};
constexpr std::size_t kPiecePayloadHeader = 8;  // index, begin; the block follows

constexpr std::string_view kNames[] = {"choke",    "unchoke", "interested", "not interested", "have",
                                       "bitfield", "request", "piece",      "cancel",         "port"};

Error refuse(const std::string& why) {
  return make_error("peer wire: " + why);
}

// Request and Cancel share a layout: index, begin, length.
template <typename T>
T read_block_ref(ByteReader& reader) {
  T out;
  out.piece = PieceIndex(*reader.u32be());
  out.begin = *reader.u32be();
  out.length = *reader.u32be();
  return out;
}

// The id and payload of each message, for the encoder.
struct Body {
  std::uint8_t id;
  std::size_t payload_size;
};

template <typename T>
Body body_of(const T& message) {
  if constexpr (std::is_same_v<T, Choke>) {
    return {0, 0};
  } else if constexpr (std::is_same_v<T, Unchoke>) {
    return {1, 0};
  } else if constexpr (std::is_same_v<T, Interested>) {
    return {2, 0};
  } else if constexpr (std::is_same_v<T, NotInterested>) {
    return {3, 0};
  } else if constexpr (std::is_same_v<T, Have>) {
    return {4, 4};
  } else if constexpr (std::is_same_v<T, Bitfield>) {
    return {5, message.bits.size()};
  } else if constexpr (std::is_same_v<T, Request>) {
    return {6, 12};
  } else if constexpr (std::is_same_v<T, Piece>) {
    return {7, kPiecePayloadHeader + message.block.size()};
  } else if constexpr (std::is_same_v<T, Cancel>) {
    return {8, 12};
  } else if constexpr (std::is_same_v<T, Port>) {
    return {9, 2};
  } else if constexpr (std::is_same_v<T, Extended>) {
    return {static_cast<std::uint8_t>(MessageId::Extended), 1 + message.payload.size()};
  } else {
    static_assert(std::is_same_v<T, UnknownMessage>);
    return {message.id, message.payload.size()};
  }
}

// message_name() indexes kNames by the variant's alternative: KeepAlive first, then the ids in order.
static_assert(
    std::is_same_v<std::variant_alternative_t<1 + static_cast<int>(MessageId::Port), Message>, Port>);

}  // namespace

Bytes encode_handshake(const Handshake& handshake) {
  ByteWriter out(kHandshakeSize);
  out.u8(static_cast<std::uint8_t>(kProtocolName.size()))
      .str(kProtocolName)
      .bytes(handshake.reserved)
      .bytes(handshake.info_hash)
      .bytes(handshake.peer_id);
  return out.take();
}

Expected<Handshake> decode_handshake(ByteView frame) {
  if (frame.size() != kHandshakeSize) {
    return refuse("handshake of " + std::to_string(frame.size()) + " bytes (expected 68)");
  }
  ByteReader reader(frame);
  if (*reader.u8() != kProtocolName.size() ||
      as_chars(*reader.bytes(kProtocolName.size())) != kProtocolName) {
    return refuse("handshake does not name the BitTorrent protocol");
  }
  Handshake out;
  std::ranges::copy(*reader.bytes(8), out.reserved.begin());
  std::ranges::copy(*reader.bytes(20), out.info_hash.begin());
  std::ranges::copy(*reader.bytes(20), out.peer_id.begin());
  return out;
}

Expected<Message> decode_message(ByteView frame) {
  ByteReader reader(frame);
  auto length = reader.u32be();
  if (!length || *length != reader.remaining()) {
    return refuse("length prefix does not match a frame of " + std::to_string(frame.size()) + " bytes");
  }
  if (*length == 0) return Message(KeepAlive{});
  std::uint8_t id = *reader.u8();
  std::size_t payload = reader.remaining();
  if (id == static_cast<std::uint8_t>(MessageId::Extended)) {
    auto extended_id = reader.u8();
    if (!extended_id) return refuse("extended message without an extended id");
    return Message(Extended{*extended_id, reader.rest()});
  }
  if (id >= std::size(kPayloadSize)) return Message(UnknownMessage{id, reader.rest()});

  int fixed = kPayloadSize[id];
  bool fits = fixed >= 0
                  ? payload == static_cast<std::size_t>(fixed)
                  : id != static_cast<std::uint8_t>(MessageId::Piece) || payload >= kPiecePayloadHeader;
  if (!fits) {
    return refuse(std::string(kNames[id]) + " message with a payload of " + std::to_string(payload) +
                  " bytes");
  }
  switch (static_cast<MessageId>(id)) {
    case MessageId::Choke:
      return Message(Choke{});
    case MessageId::Unchoke:
      return Message(Unchoke{});
    case MessageId::Interested:
      return Message(Interested{});
    case MessageId::NotInterested:
      return Message(NotInterested{});
    case MessageId::Have:
      return Message(Have{PieceIndex(*reader.u32be())});
    case MessageId::Bitfield:
      return Message(Bitfield{reader.rest()});
    case MessageId::Request:
      return Message(read_block_ref<Request>(reader));
    case MessageId::Piece: {
      Piece piece;
      piece.piece = PieceIndex(*reader.u32be());
      piece.begin = *reader.u32be();
      piece.block = reader.rest();
      return Message(piece);
    }
    case MessageId::Cancel:
      return Message(read_block_ref<Cancel>(reader));
    case MessageId::Port:
      return Message(Port{*reader.u16be()});
    case MessageId::Extended:
      break;  // decoded before the BEP 3 ids
  }
  return refuse("unreachable message id");
}

Bytes encode_message(const Message& message) {
  return std::visit(
      [](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, KeepAlive>) {
          return Bytes(kLengthPrefix, 0);
        } else {
          Body body = body_of(m);
          ByteWriter out(kLengthPrefix + 1 + body.payload_size);
          out.u32be(static_cast<std::uint32_t>(1 + body.payload_size)).u8(body.id);
          if constexpr (std::is_same_v<T, Have>) out.u32be(m.piece.value);
          if constexpr (std::is_same_v<T, Bitfield>) out.bytes(m.bits);
          if constexpr (std::is_same_v<T, Request> || std::is_same_v<T, Cancel>) {
            out.u32be(m.piece.value).u32be(m.begin).u32be(m.length);
          }
          if constexpr (std::is_same_v<T, Piece>) out.u32be(m.piece.value).u32be(m.begin).bytes(m.block);
          if constexpr (std::is_same_v<T, Port>) out.u16be(m.port);
          if constexpr (std::is_same_v<T, Extended>) out.u8(m.extended_id).bytes(m.payload);
          if constexpr (std::is_same_v<T, UnknownMessage>) out.bytes(m.payload);
          return out.take();
        }
      },
      message);
}

std::string_view message_name(const Message& message) {
  if (std::holds_alternative<KeepAlive>(message)) return "keep-alive";
  if (std::holds_alternative<Extended>(message)) return "extended";
  if (std::holds_alternative<UnknownMessage>(message)) return "unknown";
  return kNames[message.index() - 1];
}

WireFramer::WireFramer(std::size_t piece_count, bool extension_protocol)
    : max_length_(max_message_length(piece_count, extension_protocol)) {}

std::size_t WireFramer::max_message_length(std::size_t piece_count, bool extension_protocol) {
  std::size_t extended = extension_protocol ? 2 + kMaxExtendedPayload : 0;
  return std::max({1 + kPiecePayloadHeader + kBlockSize, 1 + (piece_count + 7) / 8, extended});
}

Expected<std::size_t> WireFramer::next(ByteView buffered) {
  if (awaiting_handshake_) {
    if (buffered.empty()) return std::size_t{0};
    // Refuse at the first byte: an HTTP request or a stray protocol never waits for 68 bytes.
    if (buffered[0] != kProtocolName.size()) return refuse("the first byte is not a BitTorrent handshake");
    if (buffered.size() < kHandshakeSize) return std::size_t{0};
    awaiting_handshake_ = false;
    return kHandshakeSize;
  }
  ByteReader reader(buffered);
  auto length = reader.u32be();
  if (!length) return std::size_t{0};
  if (*length > max_length_) return frame_over_cap("peer wire: message", *length, max_length_);
  std::size_t total = kLengthPrefix + *length;
  return buffered.size() >= total ? total : std::size_t{0};
}

}  // namespace p2p::bittorrent
