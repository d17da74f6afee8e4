// Tests of the CoolStreaming framer: whole messages out of a byte stream however TCP splits it, a stray
// protocol refused at its first byte, and each type held to its own cap.
#include "coolstreaming/framer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "coolstreaming/codec.h"
#include "tests/coolstreaming/sample_messages.h"

namespace p2p::coolstreaming {
namespace {

using testing::one_of_every_kind;

// A header alone: the type byte and a body length, no body.
Bytes header(MessageType type, std::uint32_t length) {
  ByteWriter w;
  w.u8(static_cast<std::uint8_t>(type)).u32be(length);
  return w.take();
}

TEST(CoolStreamingFramerTest, CutsEveryKindOutOfAStreamArrivingByteByByte) {
  Bytes stream;
  for (const Message& message : one_of_every_kind()) {
    Bytes wire = encode(message);
    stream.insert(stream.end(), wire.begin(), wire.end());
  }
  FrameAssembler assembler(make_framer());
  std::vector<Message> received;
  for (std::uint8_t byte : stream) {
    Status fed = assembler.feed(ByteView(&byte, 1), [&](ByteView frame) {
      auto message = decode(frame);
      EXPECT_TRUE(message.ok()) << message.reason();
      if (message) received.push_back(*message);
      return true;
    });
    ASSERT_TRUE(fed.ok()) << fed.reason();
  }
  EXPECT_EQ(received, one_of_every_kind());
  EXPECT_EQ(assembler.buffered(), 0u);
}

TEST(CoolStreamingFramerTest, WaitsForTheWholeHeaderAndBody) {
  CoolStreamingFramer framer;
  Bytes wire = encode(JoinRefused{1000});
  for (std::size_t size = 0; size < wire.size(); ++size) {
    auto next = framer.next(ByteView(wire).first(size));
    ASSERT_TRUE(next.ok()) << next.reason();
    EXPECT_EQ(*next, 0u) << "cut a frame from " << size << " of its " << wire.size() << " bytes";
  }
  EXPECT_EQ(*framer.next(wire), wire.size());
}

TEST(CoolStreamingFramerTest, RefusesAStrayProtocolAtItsFirstByte) {
  // An HTTP request sent to a peer: 'G' (71) is no message type, and no more bytes are awaited.
  CoolStreamingFramer framer;
  auto next = framer.next(as_bytes("G"));
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.reason(), "coolstreaming: unknown message type 71");
}

TEST(CoolStreamingFramerTest, HoldsControlMessagesToTheControlCap) {
  CoolStreamingFramer framer;
  EXPECT_EQ(*framer.next(header(MessageType::BufferMap, kMaxControlBody)), 0u);
  auto over = framer.next(header(MessageType::BufferMap, kMaxControlBody + 1));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.reason(), "coolstreaming: buffer map body of " + std::to_string(kMaxControlBody + 1) +
                               " bytes exceeds the cap of " + std::to_string(kMaxControlBody));
}

TEST(CoolStreamingFramerTest, LetsOnlySegmentsCarryAMegabyte) {
  CoolStreamingFramer framer;
  EXPECT_EQ(*framer.next(header(MessageType::Segment, kMaxSegmentBody)), 0u);
  EXPECT_FALSE(framer.next(header(MessageType::Segment, kMaxSegmentBody + 1)).ok());
  EXPECT_FALSE(framer.next(header(MessageType::SegmentRequest, kMaxSegmentBody)).ok());
}

TEST(CoolStreamingFramerTest, TheLargestValidMessagesFitTheirCaps) {
  // Every list at its cap and the largest segment: the framer must pass whatever the codec accepts.
  Candidates candidates{std::vector<MemberEntry>(kMaxCandidates, {Endpoint{"10.0.0.1", 7000}, 8})};
  SegmentUnavailable unavailable{std::vector<std::uint32_t>(kMaxListedSegments, 7)};
  BufferMapMessage map{0, kMaxWindowSegments, true, Bytes(kMaxWindowSegments / 8, 0xff)};
  Segment segment{0, Bytes(kMaxSegmentPayload, 1)};
  CoolStreamingFramer framer;
  for (const Message& message : {Message(candidates), Message(unavailable), Message(map), Message(segment)}) {
    Bytes wire = encode(message);
    auto next = framer.next(wire);
    ASSERT_TRUE(next.ok()) << next.reason();
    EXPECT_EQ(*next, wire.size());
  }
}

}  // namespace
}  // namespace p2p::coolstreaming
