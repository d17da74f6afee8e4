// Tests of the CoolStreaming codec: every message round-trips, the bytes are the ones PROTOCOL.md draws, and
// every kind of bad frame is refused with a reason that says what is wrong.
#include "coolstreaming/codec.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tests/coolstreaming/sample_messages.h"

namespace p2p::coolstreaming {
namespace {

using testing::one_of_every_kind;

// A frame as a peer could put it on the wire: the type, the length of `body`, then `body`.
Bytes frame(MessageType type, const Bytes& body) {
  ByteWriter w;
  w.u8(static_cast<std::uint8_t>(type)).u32be(static_cast<std::uint32_t>(body.size())).bytes(body);
  return w.take();
}

// The body of a buffer map: window start, window length, flags, then `bitmap`.
Bytes buffer_map_body(std::uint32_t start, std::uint16_t length, std::uint8_t flags, const Bytes& bitmap) {
  ByteWriter w;
  w.u32be(start).u16be(length).u8(flags).bytes(bitmap);
  return w.take();
}

// Decodes `wire`, expects a refusal, and returns its reason.
std::string refusal(const Bytes& wire) {
  auto decoded = decode(wire);
  EXPECT_FALSE(decoded.ok()) << "accepted a bad frame";
  return decoded.ok() ? "" : decoded.reason();
}

TEST(CoolStreamingCodecTest, TheSamplesHoldEveryKind) {
  // The round trips below, the framer tests and the Wireshark test cover every kind only if the samples do.
  std::set<std::size_t> kinds;
  for (const Message& message : one_of_every_kind()) kinds.insert(message.index());
  EXPECT_EQ(kinds.size(), std::variant_size_v<Message>);
}

TEST(CoolStreamingCodecTest, EveryKindRoundTrips) {
  for (const Message& original : one_of_every_kind()) {
    SCOPED_TRACE(std::string(type_name(type_of(original))));
    Bytes wire = encode(original);
    auto decoded = decode(wire);
    ASSERT_TRUE(decoded.ok()) << decoded.reason();
    EXPECT_EQ(*decoded, original);
  }
}

TEST(CoolStreamingCodecTest, HeaderIsTypeThenBigEndianBodyLength) {
  // A join refusal: type 0x03, a 4-byte body, then the retry delay 0x01020304 big-endian.
  EXPECT_EQ(encode(JoinRefused{0x01020304}), (Bytes{0x03, 0, 0, 0, 4, 0x01, 0x02, 0x03, 0x04}));
  // Every frame's length field counts exactly the bytes after the header.
  for (const Message& message : one_of_every_kind()) {
    Bytes wire = encode(message);
    ByteReader header(wire);
    EXPECT_EQ(*header.u8(), static_cast<std::uint8_t>(type_of(message)));
    EXPECT_EQ(*header.u32be(), wire.size() - kHeaderBytes);
  }
}

TEST(CoolStreamingCodecTest, BufferMapBitsRunMostSignificantFirstFromTheWindowStart) {
  // Window 100..109; the sender holds 100 (bit 0, MSB of byte 0) and 109 (bit 9, second MSB of byte 1).
  Bytes wire = encode(BufferMapMessage{100, 10, true, {0x80, 0x40}});
  EXPECT_EQ(wire, frame(MessageType::BufferMap, buffer_map_body(100, 10, 0x01, {0x80, 0x40})));
}

TEST(CoolStreamingCodecTest, BufferMapIsTheBytesOfProtocolMdExample) {
  // coolstreaming/PROTOCOL.md, "Example": window 4200..4209, all held but 4208, uploading.
  EXPECT_EQ(encode(BufferMapMessage{4200, 10, true, {0xff, 0x40}}),
            (Bytes{0x30, 0, 0, 0, 9, 0x00, 0x00, 0x10, 0x68, 0x00, 0x0a, 0x01, 0xff, 0x40}));
}

TEST(CoolStreamingCodecTest, BufferMapOfDonetWindowIsCompact) {
  // DONet's 120-segment window: 5 header + 7 fields + 15 bitmap bytes. A peer sends one per partner per
  // period, so at M = 4 and a 1-second period that is 108 bytes a second against 62,500 of video.
  BufferMapMessage map{5000, 120, true, Bytes(15, 0xff)};
  EXPECT_EQ(encode(map).size(), 27u);
}

TEST(CoolStreamingCodecTest, OnlySegmentPayloadCountsAsVideo) {
  for (const Message& message : one_of_every_kind()) {
    const Segment* segment = std::get_if<Segment>(&message);
    EXPECT_EQ(video_bytes(message), segment ? segment->payload.size() : 0);
  }
  // The rest of a segment's frame, its header and id, is control.
  Segment segment{1, Bytes(62'500, 0xab)};
  EXPECT_EQ(encode(segment).size() - video_bytes(segment), kHeaderBytes + 4);
}

TEST(CoolStreamingCodecTest, RefusesAShortHeaderAndAnUnknownType) {
  EXPECT_NE(refusal({0x01, 0x00, 0x00}).find("shorter than the 5-byte header"), std::string::npos);
  EXPECT_NE(refusal({0x7f, 0, 0, 0, 0}).find("unknown message type 127"), std::string::npos);
}

TEST(CoolStreamingCodecTest, RefusesALengthFieldThatDisagreesWithTheFrame) {
  Bytes wire = encode(PartnerAccept{1});
  wire.push_back(0);
  EXPECT_NE(refusal(wire).find("length field says 4 bytes but the body has 5"), std::string::npos);
}

TEST(CoolStreamingCodecTest, RefusesATruncatedBody) {
  // A join refusal whose body (and length field) stops one byte short of its retry delay.
  EXPECT_NE(
      refusal(frame(MessageType::JoinRefused, {0, 0, 1})).find("join refused: truncated before retry delay"),
      std::string::npos);
  // A segment request that announces two ids and carries one.
  EXPECT_NE(
      refusal(frame(MessageType::SegmentRequest, {0, 2, 0, 0, 0, 9})).find("truncated before a segment id"),
      std::string::npos);
}

TEST(CoolStreamingCodecTest, RefusesTrailingBytes) {
  EXPECT_NE(refusal(frame(MessageType::PartnerRefuse, {0})).find("partner refuse: 1 trailing bytes"),
            std::string::npos);
  EXPECT_NE(refusal(frame(MessageType::TreeAttach, {0x1b, 0x5c, 0, 0})).find("2 trailing bytes"),
            std::string::npos);
}

TEST(CoolStreamingCodecTest, RefusesListsOverTheirCaps) {
  // Only the count is needed: the cap is checked before any entry is read.
  std::uint16_t too_many_candidates = kMaxCandidates + 1;
  EXPECT_NE(refusal(frame(MessageType::Candidates, {0, static_cast<std::uint8_t>(too_many_candidates)}))
                .find("lists 65 candidates, over the cap of 64"),
            std::string::npos);
  ByteWriter ids;
  ids.u16be(kMaxListedSegments + 1);
  EXPECT_NE(refusal(frame(MessageType::SegmentUnavailable, ids.take())).find("over the cap of 1024"),
            std::string::npos);
}

TEST(CoolStreamingCodecTest, ListsAtTheirCapsAreAccepted) {
  Candidates candidates;
  for (std::uint16_t i = 0; i < kMaxCandidates; ++i)
    candidates.members.push_back({Endpoint{"10.0.0.1", i}, 1});
  candidates.members[0].address.port = 1;
  SegmentRequestMessage request;
  for (std::uint32_t i = 0; i < kMaxListedSegments; ++i) request.segments.push_back(i);
  for (const Message& message : {Message(candidates), Message(request)}) {
    auto decoded = decode(encode(message));
    ASSERT_TRUE(decoded.ok()) << decoded.reason();
    EXPECT_EQ(*decoded, message);
  }
}

TEST(CoolStreamingCodecTest, RefusesABitmapThatDoesNotFitItsWindow) {
  // 10 segments need 2 bitmap bytes; 1 and 3 are refused.
  EXPECT_NE(refusal(frame(MessageType::BufferMap, buffer_map_body(0, 10, 1, {0xff})))
                .find("bitmap of 1 bytes for a window of 10 segments (needs 2)"),
            std::string::npos);
  EXPECT_NE(
      refusal(frame(MessageType::BufferMap, buffer_map_body(0, 10, 1, {0xff, 0xc0, 0x00}))).find("(needs 2)"),
      std::string::npos);
  // Bit 10 would be segment 10, outside the window 0..9.
  EXPECT_NE(refusal(frame(MessageType::BufferMap, buffer_map_body(0, 10, 1, {0xff, 0x20})))
                .find("bits set past the window's end"),
            std::string::npos);
}

TEST(CoolStreamingCodecTest, RefusesAnEmptyWindowAndOneOverTheCap) {
  EXPECT_NE(
      refusal(frame(MessageType::BufferMap, buffer_map_body(0, 0, 1, {}))).find("window length 0 is outside"),
      std::string::npos);
  std::uint16_t length = kMaxWindowSegments + 1;
  EXPECT_NE(refusal(frame(MessageType::BufferMap, buffer_map_body(0, length, 1, Bytes(129, 0))))
                .find("window length 1025 is outside 1..1024"),
            std::string::npos);
}

TEST(CoolStreamingCodecTest, RefusesAWindowThatRunsOffTheSegmentIdRange) {
  // The window's last segment, start + length - 1, must be a 32-bit id: from 0xffffff01, 256 segments would
  // end at 2^32; from 0xffffff00 they end at 0xffffffff, the last id there is.
  EXPECT_NE(refusal(frame(MessageType::BufferMap, buffer_map_body(0xffffff01, 256, 1, Bytes(32, 0))))
                .find("runs past the last segment id"),
            std::string::npos);
  BufferMapMessage last{0xffffff00, 256, true, Bytes(32, 0x01)};
  auto decoded = decode(encode(last));
  ASSERT_TRUE(decoded.ok()) << decoded.reason();
  EXPECT_EQ(*decoded, Message(last));
}

TEST(CoolStreamingCodecTest, RefusesReservedBufferMapFlags) {
  EXPECT_NE(
      refusal(frame(MessageType::BufferMap, buffer_map_body(0, 8, 0x81, {0xff}))).find("reserved flag bits"),
      std::string::npos);
}

TEST(CoolStreamingCodecTest, RefusesASegmentPayloadOverTheCapOrEmpty) {
  Bytes body(4 + kMaxSegmentPayload + 1, 0);
  EXPECT_NE(
      refusal(frame(MessageType::Segment, body)).find("payload of 1048577 bytes exceeds the cap of 1048576"),
      std::string::npos);
  body.pop_back();
  EXPECT_TRUE(decode(frame(MessageType::Segment, body)).ok());
  EXPECT_NE(refusal(frame(MessageType::Segment, {0, 0, 0, 1})).find("segment: no payload"),
            std::string::npos);
}

TEST(CoolStreamingCodecTest, RefusesFieldsOutOfRange) {
  // Join: listen port 0, overlay 2, role 2, attempt 0.
  EXPECT_NE(refusal(frame(MessageType::Join, {0, 0, 0, 0, 0, 1, 0, 0, 1})).find("listen port 0 is outside"),
            std::string::npos);
  EXPECT_NE(refusal(frame(MessageType::Join, {0, 1, 0, 0, 0, 1, 2, 0, 1})).find("overlay 2 is outside 0..1"),
            std::string::npos);
  EXPECT_NE(refusal(frame(MessageType::Join, {0, 1, 0, 0, 0, 1, 0, 2, 1})).find("role 2 is outside 0..1"),
            std::string::npos);
  EXPECT_NE(refusal(frame(MessageType::Join, {0, 1, 0, 0, 0, 1, 0, 0, 0})).find("attempt 0 is outside"),
            std::string::npos);
  // Gossip: a member without a port, a time to live past kMaxGossipTtlMs.
  ByteWriter portless;
  portless.u32be(1).u32be(0x0a000001).u16be(0).u16be(4).u32be(30'000);
  EXPECT_NE(refusal(frame(MessageType::Membership, portless.take())).find("member id has port 0"),
            std::string::npos);
  ByteWriter forever;
  forever.u32be(1).u32be(0x0a000001).u16be(7001).u32be(kMaxGossipTtlMs + 1);
  EXPECT_NE(refusal(frame(MessageType::Leave, forever.take())).find("ttl 300001 is outside 0..300000"),
            std::string::npos);
}

TEST(CoolStreamingCodecTest, RefusesAStreamWhoseSegmentsCannotFitAFrame) {
  // 10 Mbit/s in 1-second segments is 1.25 MB a segment, over kMaxSegmentPayload.
  ByteWriter body;
  body.u32be(10'000).u32be(1000).u32be(0).u32be(0x0a000001).u16be(7000);
  EXPECT_NE(refusal(frame(MessageType::TreeParent, body.take())).find("segments of 1250000 bytes exceed"),
            std::string::npos);
  ByteWriter zero;
  zero.u32be(500).u32be(0).u32be(0).u32be(0x0a000001).u16be(7000);
  EXPECT_NE(refusal(frame(MessageType::TreeParent, zero.take())).find("segment length 0 is outside"),
            std::string::npos);
}

TEST(CoolStreamingCodecTest, EveryTruncationOfAValidFrameIsRefused) {
  for (const Message& message : one_of_every_kind()) {
    SCOPED_TRACE(std::string(type_name(type_of(message))));
    Bytes wire = encode(message);
    for (std::size_t size = 0; size < wire.size(); ++size) {
      // Cut as it arrived: the length field now disagrees with the frame.
      Bytes cut(wire.begin(), wire.begin() + static_cast<std::ptrdiff_t>(size));
      EXPECT_FALSE(decode(cut).ok()) << "a frame cut to " << size << " bytes decoded";
      if (size < kHeaderBytes) continue;
      // Cut and relabelled, as a lying peer would: the body itself is short. Only a segment, whose payload is
      // the rest of its body, stays valid while it keeps its id and one payload byte.
      cut[1] = cut[2] = cut[3] = 0;
      cut[4] = static_cast<std::uint8_t>(size - kHeaderBytes);
      bool still_valid = std::holds_alternative<Segment>(message) && size >= kHeaderBytes + 5;
      EXPECT_EQ(decode(cut).ok(), still_valid) << "a body cut to " << size - kHeaderBytes << " bytes";
    }
  }
}

}  // namespace
}  // namespace p2p::coolstreaming
