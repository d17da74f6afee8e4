// Gnutella descriptors: byte layout, round trips of every payload type, and the rejects of a strict decoder.
#include "gnutella/descriptor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace p2p::gnutella {
namespace {

Guid sample_guid() {
  Guid guid{};
  for (std::size_t i = 0; i < guid.size(); ++i) guid[i] = static_cast<std::uint8_t>(0xa0 + i);
  return guid;
}

// A frame built by hand, byte by byte, so the tests do not trust the encoder to check the decoder.
Bytes raw_frame(std::uint8_t type, ByteView payload, std::uint8_t ttl = 7, std::uint8_t hops = 0) {
  ByteWriter out;
  out.bytes(sample_guid()).u8(type).u8(ttl).u8(hops).u32le(static_cast<std::uint32_t>(payload.size()));
  out.bytes(payload);
  return out.take();
}

Bytes encode(const Payload& payload, std::uint8_t ttl = 7, std::uint8_t hops = 0) {
  auto bytes = encode_descriptor(sample_guid(), ttl, hops, payload);
  EXPECT_TRUE(bytes.ok()) << bytes.reason();
  return bytes.ok() ? *bytes : Bytes{};
}

// Encodes, decodes, and checks that the same header and payload come back.
void expect_round_trip(const Payload& payload) {
  Bytes wire = encode(payload, 5, 2);
  auto decoded = decode_descriptor(wire);
  ASSERT_TRUE(decoded.ok()) << decoded.reason();
  EXPECT_EQ(decoded->header.guid, sample_guid());
  EXPECT_EQ(decoded->header.type, payload_type(payload));
  EXPECT_EQ(decoded->header.ttl, 5);
  EXPECT_EQ(decoded->header.hops, 2);
  EXPECT_EQ(decoded->header.payload_length, wire.size() - kHeaderSize);
  EXPECT_EQ(decoded->payload, payload);
}

QueryHit sample_hit() {
  QueryHit hit;
  hit.port = 6346;
  hit.ip = 0x7f000001;
  hit.speed = 1000;
  hit.results = {{0, 1234, "song.mp3", {}}, {7, 99, "talk.ogg", to_bytes("urn:sha1:ABC")}};
  hit.servent_id = sample_guid();
  std::reverse(hit.servent_id.begin(), hit.servent_id.end());
  return hit;
}

void expect_rejected(ByteView frame, std::string_view why) {
  auto decoded = decode_descriptor(frame);
  ASSERT_FALSE(decoded.ok()) << "expected a reject mentioning '" << why << "'";
  EXPECT_NE(decoded.reason().find(why), std::string::npos) << decoded.reason();
}

TEST(DescriptorTest, HeaderIsGuidTypeTtlHopsAndLittleEndianLength) {
  // A Query of 3 payload bytes, TTL 7, hops 2.
  Bytes wire = encode(Query{0x0102, "", {}}, 7, 2);
  ASSERT_EQ(wire.size(), kHeaderSize + 3);
  const Guid guid = sample_guid();
  EXPECT_TRUE(std::equal(guid.begin(), guid.end(), wire.begin()));
  EXPECT_EQ(wire[16], 0x80);  // Query
  EXPECT_EQ(wire[17], 7);
  EXPECT_EQ(wire[18], 2);
  EXPECT_EQ((Bytes{wire.begin() + 19, wire.begin() + 23}), (Bytes{3, 0, 0, 0}));
  // The minimum speed is little-endian too, and the empty search string is just its NUL.
  EXPECT_EQ((Bytes{wire.begin() + 23, wire.end()}), (Bytes{0x02, 0x01, 0x00}));
}

TEST(DescriptorTest, PongPortIsLittleEndianButItsIpIsNetworkOrder) {
  Bytes wire = encode(Pong{6346, 0xc0a80105, 12, 3400});  // 192.168.1.5:6346
  Bytes payload(wire.begin() + kHeaderSize, wire.end());
  EXPECT_EQ(payload, (Bytes{0xca, 0x18, 192, 168, 1, 5, 12, 0, 0, 0, 0x48, 0x0d, 0, 0}));
  auto decoded = decode_descriptor(wire);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::get<Pong>(decoded->payload).endpoint().str(), "192.168.1.5:6346");
}

TEST(DescriptorTest, EveryPayloadTypeRoundTrips) {
  expect_round_trip(Ping{});
  expect_round_trip(Pong{6347, 0x0a000002, 120, 500'000});
  expect_round_trip(Bye{503, "too many connections"});
  expect_round_trip(Push{sample_guid(), 42, 0x7f000001, 6350});
  expect_round_trip(Query{0, "free music", {}});
  expect_round_trip(Query{10, "", Bytes{'u', 'r', 'n', 0, 0xc3, 1}});  // extensions may hold NULs
  expect_round_trip(sample_hit());
}

TEST(DescriptorTest, PingsAndPongsMayEndWithAGgepBlock) {
  // What newer servents send (GDF Gnutella 0.6, 2.2.2, 2.2.3, 2.3): a Ping asking for cached pongs ("SCP",
  // no data) and a Pong with its daily uptime ("DU", 2 bytes). Each block is the 0xc3 magic, then per
  // extension a flags byte (0x80: the last one; low bits: the id's length), the id, and a length byte
  // (0x40: the last length byte).
  Bytes scp{0xc3, 0x83, 'S', 'C', 'P', 0x40};
  expect_round_trip(Ping{scp});
  auto ping = decode_descriptor(raw_frame(0x00, scp));
  ASSERT_TRUE(ping.ok()) << ping.reason();
  EXPECT_EQ(std::get<Ping>(ping->payload).extensions, scp);

  Pong pong{6346, 0xc0a80105, 12, 3400, Bytes{0xc3, 0x82, 'D', 'U', 0x42, 0x10, 0x0e}};
  expect_round_trip(pong);
  Bytes wire = encode(pong);
  EXPECT_EQ(wire.size(), kHeaderSize + 14 + 7);
  EXPECT_EQ(std::get<Pong>(decode_descriptor(wire)->payload).endpoint().str(), "192.168.1.5:6346");
}

TEST(DescriptorTest, QueryHitKeepsAnOptionalQhdBlockBeforeTheServentId) {
  // Vendor "LIME", 1 byte of open data, then 2 bytes of private data: the block the draft allows.
  QueryHit hit = sample_hit();
  hit.qhd = Bytes{'L', 'I', 'M', 'E', 1, 0x1c, 0xaa, 0xbb};
  expect_round_trip(hit);
  Bytes wire = encode(hit);
  Guid tail;
  std::copy(wire.end() - 16, wire.end(), tail.begin());
  EXPECT_EQ(tail, hit.servent_id);  // the servent id stays the last 16 bytes
}

TEST(DescriptorTest, TtlAboveFifteenIsReportedNotRejected) {
  // The router drops it and counts why; the codec only says what it saw.
  auto decoded = decode_descriptor(raw_frame(0x00, {}, 16));
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(decoded->header.ttl_above_limit());
  EXPECT_FALSE(decode_header(raw_frame(0x00, {}, 15))->ttl_above_limit());
}

TEST(DescriptorTest, RejectsAShortHeaderAndAnUnknownType) {
  Bytes frame = raw_frame(0x00, {});
  expect_rejected(ByteView(frame).first(22), "needs 23 bytes");
  expect_rejected(raw_frame(0x31, {}), "unknown payload type 0x31");
}

TEST(DescriptorTest, RejectsAPayloadOfTheWrongLengthForItsType) {
  expect_rejected(raw_frame(0x00, Bytes{0}),
                  "Ping: the payload is not a GGEP block (it begins 0x00, not 0xc3)");
  expect_rejected(raw_frame(0x01, Bytes(13)), "Pong: payload must be at least 14 bytes, got 13");
  expect_rejected(raw_frame(0x01, Bytes(15)),
                  "Pong: what follows the address and counts is not a GGEP block (it begins 0x00, not 0xc3)");
  expect_rejected(raw_frame(0x40, Bytes(25)), "Push: payload must be 26 bytes");
  expect_rejected(raw_frame(0x80, Bytes{1}), "Query: payload too short");
  expect_rejected(raw_frame(0x81, Bytes(10)), "QueryHit: payload too short");
}

TEST(DescriptorTest, RejectsAFrameWhoseLengthFieldDisagreesWithItsBytes) {
  // Headers that announce a 14-byte Pong, followed by one byte more, then one byte less.
  for (std::size_t carried : {15, 13}) {
    ByteWriter frame;
    frame.bytes(sample_guid()).u8(0x01).u8(7).u8(0).u32le(14).bytes(Bytes(carried));
    expect_rejected(frame.view(), "payload length says 14 bytes but " + std::to_string(carried) + " follow");
  }
}

TEST(DescriptorTest, RejectsAPayloadOverTheFourKilobyteCap) {
  Bytes frame = raw_frame(0x80, Bytes(kMaxPayload + 1, 'a'));
  expect_rejected(frame, "exceeds the cap of 4096");
  // The encoder refuses to write one too.
  auto encoded = encode_descriptor(sample_guid(), 7, 0, Query{0, std::string(kMaxPayload, 'a'), {}});
  ASSERT_FALSE(encoded.ok());
  EXPECT_NE(encoded.reason().find("exceeds the cap"), std::string::npos);
}

TEST(DescriptorTest, RejectsStringsWithoutTheirNul) {
  expect_rejected(raw_frame(0x80, Bytes{0, 0, 'a', 'b'}), "search string is not NUL-terminated");
  expect_rejected(raw_frame(0x02, Bytes{200, 0, 'b', 'y', 'e'}), "message is not NUL-terminated");
  expect_rejected(raw_frame(0x02, Bytes{200, 0, 0, 'x'}), "1 bytes after the message's NUL");

  // A hit whose only result has a name but whose extensions run to the end of the payload.
  ByteWriter hit;
  hit.u8(1).u16le(6346).u32be(0x7f000001).u32le(0).u32le(0).u32le(10).str("name").u8(0).str("extensions...");
  expect_rejected(raw_frame(0x81, hit.view()), "result 1: extensions are not NUL-terminated");
  ByteWriter nameless;
  nameless.u8(1).u16le(6346).u32be(0x7f000001).u32le(0).u32le(0).u32le(10).str("no-nul-at-all");
  expect_rejected(raw_frame(0x81, nameless.view()), "result 1: file name is not NUL-terminated");
}

TEST(DescriptorTest, RejectsAHitCountThatDisagreesWithTheResults) {
  // The hit says 3 results but carries one and the servent id.
  Bytes wire = encode(QueryHit{sample_hit().port, 1, 0, {{1, 2, "a", {}}}, {}, sample_guid()});
  wire[kHeaderSize] = 3;
  expect_rejected(wire, "QueryHit");
  // Zero results is not a hit.
  wire[kHeaderSize] = 0;
  expect_rejected(wire, "hit count is 0");
  // One result too many: the second result's bytes cannot pass for a QHD block and servent id.
  QueryHit two = sample_hit();
  Bytes two_wire = encode(two);
  two_wire[kHeaderSize] = 1;
  expect_rejected(two_wire, "QHD");
}

TEST(DescriptorTest, RejectsAHitWithoutRoomForTheServentId) {
  ByteWriter hit;
  hit.u8(1).u16le(6346).u32be(0x7f000001).u32le(0).u32le(0).u32le(10).str("a").u8(0).u8(0).bytes(Bytes(15));
  expect_rejected(raw_frame(0x81, hit.view()), "no room for the 16-byte servent id");
}

TEST(DescriptorTest, EncoderRefusesWhatItCouldNotWriteFaithfully) {
  EXPECT_FALSE(encode_descriptor(sample_guid(), 7, 0, Query{0, std::string("a\0b", 3), {}}).ok());
  EXPECT_FALSE(encode_descriptor(sample_guid(), 1, 0, Bye{200, std::string("\0", 1)}).ok());
  QueryHit empty = sample_hit();
  empty.results.clear();
  EXPECT_FALSE(encode_descriptor(sample_guid(), 7, 0, empty).ok());
  QueryHit crowded = sample_hit();
  crowded.results.assign(256, QueryHitResult{0, 0, "x", {}});
  EXPECT_FALSE(encode_descriptor(sample_guid(), 7, 0, crowded).ok());
  QueryHit bad_qhd = sample_hit();
  bad_qhd.qhd = Bytes{'L', 'I', 'M', 'E'};
  EXPECT_FALSE(encode_descriptor(sample_guid(), 7, 0, bad_qhd).ok());
}

TEST(DescriptorTest, ForwardedCopyChangesOnlyTtlAndHops) {
  Bytes original = encode(sample_hit(), 5, 2);
  Bytes copy = with_ttl_and_hops(original, 4, 3);
  EXPECT_EQ(copy[17], 4);
  EXPECT_EQ(copy[18], 3);
  copy[17] = original[17];
  copy[18] = original[18];
  EXPECT_EQ(copy, original);
}

TEST(GuidTest, NewGuidsAreTaggedRandomAndReproducible) {
  Rng rng(42);
  Guid first = make_guid(rng);
  Guid second = make_guid(rng);
  for (const Guid& guid : {first, second}) {
    EXPECT_EQ(guid[8], 0xff);   // "modern servent" tag
    EXPECT_EQ(guid[15], 0x00);  // reserved
  }
  EXPECT_NE(first, second);
  Rng replay(42);
  EXPECT_EQ(make_guid(replay), first);
  EXPECT_EQ(to_hex(first).size(), 32u);
}

}  // namespace
}  // namespace p2p::gnutella
