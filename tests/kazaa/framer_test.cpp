// The KaZaA framer: frames come out whole however TCP splits them, and a length over the cap ends the stream.
#include "kazaa/framer.h"

#include <gtest/gtest.h>

#include <vector>

#include "kazaa/codec.h"
#include "tests/kazaa/sample_messages.h"

namespace p2p::kazaa {
namespace {

// Feeds `stream` in pieces of `step` bytes and collects the frames the assembler hands over.
std::vector<Bytes> cut(const Bytes& stream, std::size_t step) {
  FrameAssembler assembler(make_framer());
  std::vector<Bytes> frames;
  for (std::size_t at = 0; at < stream.size(); at += step) {
    ByteView piece = ByteView(stream).subspan(at, std::min(step, stream.size() - at));
    Status fed = assembler.feed(piece, [&](ByteView frame) {
      frames.emplace_back(frame.begin(), frame.end());
      return true;
    });
    EXPECT_TRUE(fed.ok()) << fed.reason();
  }
  EXPECT_EQ(assembler.buffered(), 0u);
  return frames;
}

TEST(KazaaFramerTest, FramesComeOutWholeHoweverTheStreamIsSplit) {
  std::vector<Bytes> sent;
  Bytes stream;
  for (const Message& message : sample_messages()) {
    sent.push_back(encode(message));
    stream.insert(stream.end(), sent.back().begin(), sent.back().end());
  }
  for (std::size_t step : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}, stream.size()}) {
    SCOPED_TRACE(step);
    EXPECT_EQ(cut(stream, step), sent);
  }
}

TEST(KazaaFramerTest, WaitsForTheWholeHeaderAndPayload) {
  KazaaFramer framer(100);
  Bytes frame = encode(Ping{9});
  for (std::size_t have = 0; have < frame.size(); ++have) {
    auto size = framer.next(ByteView(frame).first(have));
    ASSERT_TRUE(size.ok());
    EXPECT_EQ(*size, 0u) << "with " << have << " bytes";
  }
  EXPECT_EQ(*framer.next(frame), kHeaderBytes + 4);
}

TEST(KazaaFramerTest, RefusesAFrameOverTheCapFromItsHeaderAlone) {
  KazaaFramer framer(kMaxPayload);
  ByteWriter at_cap;
  at_cap.u8(0x07).u32be(kMaxPayload);
  EXPECT_EQ(*framer.next(at_cap.view()), 0u) << "a frame at the cap waits for its payload";
  ByteWriter over;
  over.u8(0x07).u32be(kMaxPayload + 1);
  auto size = framer.next(over.view());
  ASSERT_FALSE(size.ok());
  EXPECT_EQ(size.reason(), "frame of 65537 bytes exceeds the cap of 65536");

  FrameAssembler assembler(make_framer());
  Status fed = assembler.feed(over.view(), [](ByteView) { return true; });
  EXPECT_FALSE(fed.ok());
}

}  // namespace
}  // namespace p2p::kazaa
