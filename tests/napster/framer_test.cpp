// The OpenNap framer: the length field counts only the payload, never the header.
#include "napster/framer.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace p2p::napster {
namespace {

TEST(OpenNapFramerTest, LengthCountsOnlyThePayload) {
  FrameAssembler assembler(std::make_unique<OpenNapFramer>(100));
  // length 2, type 0x00c8 (200), payload "hi"; then an empty frame of type 3
  assembler.append(as_bytes(std::string_view("\x02\x00\xc8\x00hi\x00\x00\x03\x00", 10)));
  std::vector<std::size_t> sizes;
  Status drained = assembler.drain([&](ByteView frame) {
    sizes.push_back(frame.size());
    return true;
  });
  ASSERT_TRUE(drained.ok());
  EXPECT_EQ(sizes, (std::vector<std::size_t>{6, 4}));
}

}  // namespace
}  // namespace p2p::napster
