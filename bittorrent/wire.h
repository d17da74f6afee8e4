// The peer wire protocol (BEP 3): the handshake, the nine messages and keep-alive, BEP 10's extended message,
// and the framer that cuts them.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "bittorrent/piece_set.h"
#include "common/net/framer.h"
#include "common/util/bytes.h"
#include "common/util/expected.h"
#include "common/util/hash.h"

namespace p2p::bittorrent {

inline constexpr std::string_view kProtocolName = "BitTorrent protocol";
// pstrlen (19), pstr, 8 reserved bytes, info_hash[20], peer_id[20].
inline constexpr std::size_t kHandshakeSize = 1 + 19 + 8 + 20 + 20;

using PeerId = std::array<std::uint8_t, 20>;

// The first bytes each side sends. Reserved bits announce extensions (BEP 6 fast, BEP 10 extended); a
// well-behaved peer sends extension messages only to a peer that set the extension's bit.
struct Handshake {
  std::array<std::uint8_t, 8> reserved{};
  Sha1Digest info_hash{};
  PeerId peer_id{};
};

// BEP 10, "Extension protocol": the 20th bit from the right of the reserved bytes, reserved[5] & 0x10, says
// the peer speaks the extension protocol.
inline constexpr std::size_t kExtensionProtocolByte = 5;
inline constexpr std::uint8_t kExtensionProtocolBit = 0x10;

inline bool supports_extension_protocol(const Handshake& handshake) {
  return (handshake.reserved[kExtensionProtocolByte] & kExtensionProtocolBit) != 0;
}
inline void announce_extension_protocol(Handshake& handshake) {
  handshake.reserved[kExtensionProtocolByte] |= kExtensionProtocolBit;
}

// BEP 5, "BitTorrent Protocol Extension": "the last bit in the 8 byte reserved flags exchanged in the
// BitTorrent protocol handshake" (reserved[7] & 0x01) says the peer runs a DHT node; two such peers tell
// each other their DHT port with the PORT message.
inline constexpr std::size_t kDhtByte = 7;
inline constexpr std::uint8_t kDhtBit = 0x01;

inline bool supports_dht(const Handshake& handshake) {
  return (handshake.reserved[kDhtByte] & kDhtBit) != 0;
}
inline void announce_dht(Handshake& handshake) {
  handshake.reserved[kDhtByte] |= kDhtBit;
}

Bytes encode_handshake(const Handshake& handshake);
Expected<Handshake> decode_handshake(ByteView frame);

// BEP 3 message ids: the byte after the length prefix.
enum class MessageId : std::uint8_t {
  Choke = 0,
  Unchoke = 1,
  Interested = 2,
  NotInterested = 3,
  Have = 4,
  Bitfield = 5,
  Request = 6,
  Piece = 7,
  Cancel = 8,
  Port = 9,       // BEP 5
  Extended = 20,  // BEP 10
};

// One struct per message. Views (Bitfield::bits, Piece::block, UnknownMessage::payload) point into the frame
// they were decoded from, so a 16 KiB block goes from the receive buffer to storage without a copy: use
// them before the frame goes away.
struct KeepAlive {};
struct Choke {};
struct Unchoke {};
struct Interested {};
struct NotInterested {};
struct Have {
  PieceIndex piece;
};
struct Bitfield {
  ByteView bits;  // check against the torrent with PieceSet::from_bitfield
};
struct Request {
  PieceIndex piece;
  std::uint32_t begin = 0;
  std::uint32_t length = 0;
};
struct Piece {
  PieceIndex piece;
  std::uint32_t begin = 0;
  ByteView block;
};
struct Cancel {
  PieceIndex piece;
  std::uint32_t begin = 0;
  std::uint32_t length = 0;
};
// BEP 5's PORT message: "the port this peer's DHT node is listening on", a 2-byte big-endian payload.
struct Port {
  std::uint16_t port = 0;
};
// BEP 10's extended message: id 20, then one byte naming the extension, then its payload. Extended id 0 is
// the extension handshake; the others are the ids the receiver gave its extensions in its own handshake
// (bittorrent/extension/ decodes the payloads).
struct Extended {
  std::uint8_t extended_id = 0;
  ByteView payload;
};
// An id that neither BEP 3 nor BEP 10 defines (BEP 6 fast, ...): reported, not refused, so a core may ignore
// it.
struct UnknownMessage {
  std::uint8_t id = 0;
  ByteView payload;
};

using Message = std::variant<KeepAlive, Choke, Unchoke, Interested, NotInterested, Have, Bitfield, Request,
                             Piece, Cancel, Port, Extended, UnknownMessage>;

// Decodes one whole frame, length prefix included, as WireFramer cuts it. Each known id must have exactly
// its BEP 3 payload size (have 4, request and cancel 12, piece at least 8, the state messages none; BEP 5's
// port 2); an
// extended message needs at least its extended id byte.
Expected<Message> decode_message(ByteView frame);
// The frame for a message: u32 big-endian length, id, payload.
Bytes encode_message(const Message& message);
// "choke", "piece", "unknown", ...: for logs and per-message telemetry counters.
std::string_view message_name(const Message& message);

// The largest extended message payload a peer may send: BEP 9 carries the metadata in 16 KiB pieces, each
// after a small bencoded dictionary, and 1 KiB is room for that dictionary (or an extension handshake).
inline constexpr std::size_t kMaxExtendedPayload = 16384 + 1024;

// Cuts a peer connection's byte stream: first the 68-byte handshake, then u32 big-endian length-prefixed
// messages. The cap on a length prefix is the larger of a piece message carrying one 16 KiB block (9 + 16384)
// and a bitfield for this torrent (1 + ceil(pieces / 8)), and, on a connection that announced BEP 10, an
// extended message (2 + kMaxExtendedPayload). p2plab never asks for more than 16 KiB, so anything longer is
// a broken or hostile peer and closes the connection.
class WireFramer : public Framer {
 public:
  explicit WireFramer(std::size_t piece_count, bool extension_protocol = false);
  static std::size_t max_message_length(std::size_t piece_count, bool extension_protocol = false);

  // Returns kHandshakeSize once the handshake is buffered, and from then on cuts messages (the
  // FrameAssembler consumes every frame it is told about, so the switch happens exactly once).
  Expected<std::size_t> next(ByteView buffered) override;

 private:
  bool awaiting_handshake_ = true;
  std::size_t max_length_;
};

}  // namespace p2p::bittorrent
