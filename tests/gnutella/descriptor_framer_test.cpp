// DescriptorFramer: whole descriptors out of a byte stream split anywhere, and the cap that closes a
// connection.
#include "gnutella/descriptor_framer.h"

#include <gtest/gtest.h>

#include <vector>

namespace p2p::gnutella {
namespace {

TEST(DescriptorFramerTest, CutsDescriptorsSplitAtEveryByteBoundary) {
  // A Ping (23 bytes), then a Pong (23 + 14), back to back as they travel on one connection.
  Rng rng(7);
  Bytes stream = *encode_descriptor(make_guid(rng), 1, 0, Ping{});
  Bytes pong = *encode_descriptor(make_guid(rng), 7, 0, Pong{6346, 0x7f000001, 3, 30});
  stream.insert(stream.end(), pong.begin(), pong.end());
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    FrameAssembler assembler(std::make_unique<DescriptorFramer>());
    std::vector<Bytes> frames;
    auto collect = [&](ByteView frame) {
      frames.emplace_back(frame.begin(), frame.end());
      return true;
    };
    assembler.append(ByteView(stream).first(split));
    ASSERT_TRUE(assembler.drain(collect).ok());
    assembler.append(ByteView(stream).subspan(split));
    ASSERT_TRUE(assembler.drain(collect).ok());
    ASSERT_EQ(frames.size(), 2u) << "split at " << split;
    EXPECT_EQ(frames[0].size(), kHeaderSize);
    EXPECT_EQ(frames[1], pong);
  }
}

TEST(DescriptorFramerTest, APayloadLengthOverTheCapBreaksTheStream) {
  // Only the header has arrived, but its length field already says 4097 bytes: no need to wait for them.
  ByteWriter header;
  header.bytes(Bytes(16)).u8(0x80).u8(7).u8(0).u32le(kMaxPayload + 1);
  DescriptorFramer framer;
  auto size = framer.next(header.view());
  ASSERT_FALSE(size.ok());
  EXPECT_NE(size.reason().find("exceeds the cap of 4096"), std::string::npos);
  // A shorter buffer is simply incomplete.
  EXPECT_EQ(*framer.next(ByteView(header.view()).first(22)), 0u);
}

}  // namespace
}  // namespace p2p::gnutella
