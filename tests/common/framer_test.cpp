// Framers and the FrameAssembler: frames split anywhere, many frames at once, and caps that close.
#include "common/net/framer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace p2p {
namespace {

std::vector<std::string> feed(FrameAssembler& assembler, std::string_view bytes, Status* status = nullptr) {
  std::vector<std::string> frames;
  assembler.append(as_bytes(bytes));
  Status result = assembler.drain([&](ByteView frame) {
    frames.emplace_back(as_chars(frame));
    return true;
  });
  if (status != nullptr) *status = result;
  return frames;
}

TEST(LengthPrefixFramerTest, CutsFramesSplitAtEveryByteBoundary) {
  std::string stream = std::string("\0\0\0\3abc\0\0\0\0\0\0\0\1z", 16);
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    FrameAssembler assembler(std::make_unique<LengthPrefixFramer>(100));
    auto frames = feed(assembler, std::string_view(stream).substr(0, split));
    auto rest = feed(assembler, std::string_view(stream).substr(split));
    frames.insert(frames.end(), rest.begin(), rest.end());
    ASSERT_EQ(frames.size(), 3u) << "split at " << split;
    EXPECT_EQ(frames[0], std::string("\0\0\0\3abc", 7));
    EXPECT_EQ(frames[1].size(), 4u);  // a zero-length frame (BitTorrent keep-alive) is still a frame
    EXPECT_EQ(frames[2].back(), 'z');
  }
}

TEST(LengthPrefixFramerTest, AFrameOverTheCapIsAnError) {
  FrameAssembler assembler(std::make_unique<LengthPrefixFramer>(10));
  Status status = Ok{};
  auto frames = feed(assembler, std::string("\0\0\0\x0b", 4), &status);
  EXPECT_TRUE(frames.empty());
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.reason().find("exceeds the cap"), std::string::npos);
}

TEST(LineFramerTest, CutsAtCrlfAndCapsTheLine) {
  FrameAssembler assembler(std::make_unique<LineFramer>(16));
  auto frames = feed(assembler, "GNUTELLA CONNECT/0.6\r\n");
  EXPECT_TRUE(frames.empty());  // 22 bytes: over the 16-byte cap
  FrameAssembler ok(std::make_unique<LineFramer>(64));
  frames = feed(ok, "A: 1\r\nB: 2\r\n\r\nrest");
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[2], "\r\n");
  EXPECT_EQ(ok.buffered(), 4u);
}

TEST(FrameAssemblerTest, SwitchingFramersRecutsTheBufferedBytes) {
  FrameAssembler assembler(std::make_unique<LineFramer>(64));
  std::vector<std::string> frames;
  assembler.append(as_bytes(std::string("HELLO\r\n\0\0\0\1x", 12)));
  ASSERT_TRUE(assembler
                  .drain([&](ByteView frame) {
                    frames.emplace_back(as_chars(frame));
                    if (frames.size() == 1) assembler.set_framer(std::make_unique<LengthPrefixFramer>(8));
                    return true;
                  })
                  .ok());
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[1], std::string("\0\0\0\1x", 5));
}

TEST(ChunkFramerTest, HandsOverWhateverArrivedUpToTheChunkSize) {
  FrameAssembler assembler(std::make_unique<ChunkFramer>(4));
  auto frames = feed(assembler, "abcdefghij");
  EXPECT_EQ(frames, (std::vector<std::string>{"abcd", "efgh", "ij"}));
}

}  // namespace
}  // namespace p2p
