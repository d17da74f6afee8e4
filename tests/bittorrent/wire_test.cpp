// Peer wire (BEP 3): handshake and message bytes as the spec lays them out, strict lengths, and the framer.
#include "bittorrent/wire.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "bittorrent/torrent_layout.h"

namespace p2p::bittorrent {
namespace {

std::string bytes_of(const Message& message) {
  Bytes bytes = encode_message(message);
  return std::string(as_chars(bytes));
}

Expected<Message> decode_text(std::string_view frame) {
  return decode_message(as_bytes(frame));
}

TEST(WireTest, HandshakeIsSixtyEightBytesInBep3Order) {
  Handshake handshake;
  handshake.reserved[7] = 0x04;
  handshake.info_hash.fill(0xaa);
  handshake.peer_id.fill('p');
  Bytes bytes = encode_handshake(handshake);
  ASSERT_EQ(bytes.size(), kHandshakeSize);
  EXPECT_EQ(bytes[0], 19);
  EXPECT_EQ(as_chars(ByteView(bytes).subspan(1, 19)), "BitTorrent protocol");
  EXPECT_EQ(bytes[27], 0x04);  // the last reserved byte
  EXPECT_EQ(bytes[28], 0xaa);  // the info-hash starts after 1 + 19 + 8 bytes
  EXPECT_EQ(bytes[48], 'p');   // and the peer id after it

  auto decoded = decode_handshake(bytes);
  ASSERT_TRUE(decoded) << decoded.reason();
  EXPECT_EQ(decoded->reserved, handshake.reserved);
  EXPECT_EQ(decoded->info_hash, handshake.info_hash);
  EXPECT_EQ(decoded->peer_id, handshake.peer_id);
}

TEST(WireTest, RefusesAHandshakeForAnotherProtocol) {
  Bytes bytes = encode_handshake(Handshake{});
  bytes[1] = 'b';
  EXPECT_NE(decode_handshake(bytes).reason().find("does not name"), std::string::npos);
  bytes.pop_back();
  EXPECT_NE(decode_handshake(bytes).reason().find("67 bytes"), std::string::npos);
}

TEST(WireTest, EncodesEachMessageAsLengthIdPayload) {
  EXPECT_EQ(bytes_of(KeepAlive{}), std::string("\0\0\0\0", 4));
  EXPECT_EQ(bytes_of(Choke{}), std::string("\0\0\0\1\0", 5));
  EXPECT_EQ(bytes_of(Unchoke{}), std::string("\0\0\0\1\1", 5));
  EXPECT_EQ(bytes_of(Interested{}), std::string("\0\0\0\1\2", 5));
  EXPECT_EQ(bytes_of(NotInterested{}), std::string("\0\0\0\1\3", 5));
  EXPECT_EQ(bytes_of(Have{PieceIndex(0x01020304)}), std::string("\0\0\0\5\4\1\2\3\4", 9));
  std::uint8_t bits[] = {0xf0};
  EXPECT_EQ(bytes_of(Bitfield{bits}), std::string("\0\0\0\2\5\xf0", 6));
  EXPECT_EQ(bytes_of(Request{PieceIndex(1), 0x4000, 0x4000}),
            std::string("\0\0\0\x0d\6\0\0\0\1\0\0\x40\0\0\0\x40\0", 17));
  EXPECT_EQ(bytes_of(Piece{PieceIndex(2), 16, as_bytes("abc")}), std::string("\0\0\0\x0c\7\0\0\0\2\0\0\0\x10"
                                                                             "abc",
                                                                             16));
  EXPECT_EQ(bytes_of(Cancel{PieceIndex(1), 0, 5}), std::string("\0\0\0\x0d\x08\0\0\0\1\0\0\0\0\0\0\0\5", 17));
}

TEST(WireTest, DecodesWhatItEncodes) {
  auto request = decode_message(encode_message(Request{PieceIndex(7), 32768, 16384}));
  ASSERT_TRUE(request) << request.reason();
  const auto& r = std::get<Request>(*request);
  EXPECT_EQ(r.piece, PieceIndex(7));
  EXPECT_EQ(r.begin, 32768u);
  EXPECT_EQ(r.length, 16384u);

  Bytes frame = encode_message(Piece{PieceIndex(3), 16384, as_bytes("block bytes")});
  auto piece = decode_message(frame);
  ASSERT_TRUE(piece) << piece.reason();
  const auto& p = std::get<Piece>(*piece);
  EXPECT_EQ(p.piece, PieceIndex(3));
  EXPECT_EQ(p.begin, 16384u);
  EXPECT_EQ(as_chars(p.block), "block bytes");
  EXPECT_EQ(p.block.data(), frame.data() + 13);  // a view into the frame, not a copy

  EXPECT_TRUE(std::holds_alternative<KeepAlive>(*decode_text(std::string("\0\0\0\0", 4))));
  EXPECT_EQ(std::get<Have>(*decode_text(std::string("\0\0\0\5\4\0\0\1\0", 9))).piece, PieceIndex(256));
  const std::string bitfield("\0\0\0\3\5\xff\x80", 7);
  EXPECT_EQ(std::get<Bitfield>(*decode_text(bitfield)).bits.size(), 2u);
  EXPECT_EQ(message_name(*decode_text(std::string("\0\0\0\1\3", 5))), "not interested");
}

TEST(WireTest, RefusesMessagesWhosePayloadDoesNotFitTheirId) {
  EXPECT_NE(decode_text(std::string("\0\0\0\2\0\0", 6)).reason().find("choke message with a payload of 1"),
            std::string::npos);
  EXPECT_NE(decode_text(std::string("\0\0\0\4\4\0\0\1", 8)).reason().find("have message"), std::string::npos);
  EXPECT_NE(decode_text(std::string("\0\0\0\x0c\6\0\0\0\1\0\0\0\0\0\0\0", 16)).reason().find("request"),
            std::string::npos);
  EXPECT_NE(decode_text(std::string("\0\0\0\x08\7\0\0\0\1\0\0\0", 12)).reason().find("piece"),
            std::string::npos);
  EXPECT_FALSE(
      decode_text(std::string("\0\0\0\x0e\x08\0\0\0\1\0\0\0\0\0\0\0\5\0", 18)));  // cancel, 1 too many
}

TEST(WireTest, RefusesALengthPrefixThatDisagreesWithTheFrame) {
  EXPECT_NE(decode_text(std::string("\0\0\0\2\1", 5)).reason().find("length prefix"), std::string::npos);
  EXPECT_FALSE(decode_text(std::string("\0\0\0", 3)));
  EXPECT_FALSE(decode_text(""));
}

TEST(WireTest, ReportsUnknownIdsDistinctlySoExtensionsCanBeIgnored) {
  // id 13 is BEP 6's suggest piece, which p2plab does not speak.
  const std::string frame("\0\0\0\5\x0d\0\0\0\7", 9);  // decoded views point into it
  auto suggest = decode_text(frame);
  ASSERT_TRUE(suggest) << suggest.reason();
  const auto& unknown = std::get<UnknownMessage>(*suggest);
  EXPECT_EQ(unknown.id, 13);
  EXPECT_EQ(as_chars(unknown.payload), std::string("\0\0\0\7", 4));
  EXPECT_EQ(message_name(*suggest), "unknown");
  EXPECT_EQ(bytes_of(unknown), frame);
}

TEST(WireTest, ExtendedMessageIsIdTwentyThenTheExtendedIdThenThePayload) {
  // BEP 10: extended id 0 is the extension handshake, here an empty dictionary.
  const std::string frame("\0\0\0\4\x14\0de", 8);
  auto decoded = decode_text(frame);
  ASSERT_TRUE(decoded) << decoded.reason();
  const auto& extended = std::get<Extended>(*decoded);
  EXPECT_EQ(extended.extended_id, 0);
  EXPECT_EQ(as_chars(extended.payload), "de");
  EXPECT_EQ(message_name(*decoded), "extended");
  EXPECT_EQ(bytes_of(extended), frame);

  // An extended message with no payload at all after its extended id is still whole.
  EXPECT_EQ(std::get<Extended>(*decode_text(std::string("\0\0\0\2\x14\3", 6))).extended_id, 3);
  // Without the extended id byte there is nothing to route it by.
  EXPECT_NE(decode_text(std::string("\0\0\0\1\x14", 5)).reason().find("without an extended id"),
            std::string::npos);
}

TEST(WireTest, ReservedBitTwentyAnnouncesTheExtensionProtocol) {
  Handshake handshake;
  EXPECT_FALSE(supports_extension_protocol(handshake));
  announce_extension_protocol(handshake);
  EXPECT_TRUE(supports_extension_protocol(handshake));
  Bytes bytes = encode_handshake(handshake);
  // The reserved bytes start after 1 + 19; BEP 10's bit is byte 5 & 0x10, the 20th from the right.
  EXPECT_EQ(bytes[20 + 5], 0x10);
  auto decoded = decode_handshake(bytes);
  ASSERT_TRUE(decoded) << decoded.reason();
  EXPECT_TRUE(supports_extension_protocol(*decoded));
}

TEST(WireTest, ReservedLastBitAnnouncesADhtNodeAndPortCarriesItsPort) {
  Handshake handshake;
  EXPECT_FALSE(supports_dht(handshake));
  announce_dht(handshake);
  EXPECT_TRUE(supports_dht(handshake));
  EXPECT_EQ(encode_handshake(handshake)[20 + 7], 0x01);  // BEP 5: the last reserved byte's last bit

  // BEP 5: id 9, then the DHT node's UDP port, big-endian.
  const std::string frame("\0\0\0\3\x09\x1a\xe1", 7);
  EXPECT_EQ(bytes_of(Port{6881}), frame);
  auto decoded = decode_text(frame);
  ASSERT_TRUE(decoded) << decoded.reason();
  EXPECT_EQ(std::get<Port>(*decoded).port, 6881);
  EXPECT_EQ(message_name(*decoded), "port");
}

TEST(WireTest, RefusesAPortMessageOfAnyOtherLength) {
  EXPECT_NE(decode_text(std::string("\0\0\0\2\x09\x1a", 6)).reason().find("port message with a payload of 1"),
            std::string::npos);
  EXPECT_FALSE(decode_text(std::string("\0\0\0\4\x09\x1a\xe1\0", 8)));
  EXPECT_FALSE(decode_text(std::string("\0\0\0\1\x09", 5)));
}

// The frames a WireFramer for `piece_count` pieces cuts from `stream`, and the stream's status.
std::vector<std::string> cut(std::size_t piece_count, std::string_view stream, Status* status) {
  FrameAssembler assembler(std::make_unique<WireFramer>(piece_count));
  std::vector<std::string> frames;
  assembler.append(as_bytes(stream));
  Status result = assembler.drain([&](ByteView frame) {
    frames.emplace_back(as_chars(frame));
    return true;
  });
  if (status != nullptr) *status = result;
  return frames;
}

TEST(WireFramerTest, CutsTheHandshakeThenLengthPrefixedMessages) {
  Bytes handshake = encode_handshake(Handshake{});
  std::string stream(as_chars(handshake));
  stream += bytes_of(Interested{}) + bytes_of(KeepAlive{}) + bytes_of(Have{PieceIndex(1)});
  // Whatever the split, the same four frames come out.
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    FrameAssembler assembler(std::make_unique<WireFramer>(100));
    std::vector<std::string> frames;
    auto collect = [&](ByteView frame) {
      frames.emplace_back(as_chars(frame));
      return true;
    };
    assembler.append(as_bytes(std::string_view(stream).substr(0, split)));
    ASSERT_TRUE(assembler.drain(collect));
    assembler.append(as_bytes(std::string_view(stream).substr(split)));
    ASSERT_TRUE(assembler.drain(collect));
    ASSERT_EQ(frames.size(), 4u) << "split at " << split;
    EXPECT_EQ(frames[0].size(), kHandshakeSize);
    EXPECT_EQ(frames[1], bytes_of(Interested{}));
    EXPECT_EQ(frames[2].size(), 4u);
    EXPECT_EQ(frames[3], bytes_of(Have{PieceIndex(1)}));
  }
}

TEST(WireFramerTest, RefusesAStreamThatDoesNotStartWithAHandshake) {
  Status status = Ok{};
  auto frames = cut(100, "GET /announce HTTP/1.1\r\n", &status);
  EXPECT_TRUE(frames.empty());
  EXPECT_NE(status.reason().find("not a BitTorrent handshake"), std::string::npos);
}

TEST(WireFramerTest, CapsMessagesAtOneBlockOrTheBitfield) {
  // 100 pieces: a bitfield is 14 bytes, so the piece message with a 16 KiB block sets the cap.
  EXPECT_EQ(WireFramer::max_message_length(100), 9 + kBlockSize);
  // 1,000,000 pieces: the 125,001-byte bitfield message sets it.
  EXPECT_EQ(WireFramer::max_message_length(1'000'000), 1 + 125'000u);

  Bytes handshake = encode_handshake(Handshake{});
  std::string stream(as_chars(handshake));
  stream += std::string("\0\0\x40\x0a", 4);  // 16394 = 9 + 16384 + 1
  Status status = Ok{};
  auto frames = cut(100, stream, &status);
  EXPECT_EQ(frames.size(), 1u);  // the handshake got through; the oversized message did not
  EXPECT_NE(status.reason().find("exceeds the cap of 16393"), std::string::npos);
}

TEST(WireFramerTest, AnExtensionConnectionAlsoFitsAMetadataPieceWithItsDictionary) {
  // BEP 9 data: id, extended id, a bencoded dictionary and a 16 KiB metadata piece.
  EXPECT_EQ(WireFramer::max_message_length(100, true), 2 + kMaxExtendedPayload);
  EXPECT_GT(WireFramer::max_message_length(100, true),
            2 + 16384 + std::string("d8:msg_typei1e5:piecei0e10:total_sizei99999ee").size());
  // A huge bitfield still sets the cap.
  EXPECT_EQ(WireFramer::max_message_length(1'000'000, true), 1 + 125'000u);
}

}  // namespace
}  // namespace p2p::bittorrent
