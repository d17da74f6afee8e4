// ByteReader and ByteWriter: endianness, and short reads that fail softly.
#include "common/util/bytes.h"

#include <gtest/gtest.h>

namespace p2p {
namespace {

TEST(ByteWriterTest, WritesLittleAndBigEndianIntegers) {
  ByteWriter w;
  w.u16le(0x0102).u16be(0x0102).u32le(0x01020304).u32be(0x01020304);
  EXPECT_EQ(w.view(), (Bytes{2, 1, 1, 2, 4, 3, 2, 1, 1, 2, 3, 4}));
}

TEST(ByteReaderTest, ReadsBackWhatTheWriterWrote) {
  ByteWriter w;
  w.u8(7).u16le(513).u32be(0xdeadbeef).u64be(1ULL << 40).str("hi");
  Bytes data = w.take();
  ByteReader r(data);
  EXPECT_EQ(r.u8(), 7);
  EXPECT_EQ(r.u16le(), 513);
  EXPECT_EQ(r.u32be(), 0xdeadbeefu);
  EXPECT_EQ(r.u64be(), 1ULL << 40);
  EXPECT_EQ(as_chars(*r.bytes(2)), "hi");
  EXPECT_TRUE(r.empty());
}

TEST(ByteReaderTest, AShortReadIsAnErrorAndConsumesNothing) {
  Bytes data{1, 2, 3};
  ByteReader r(data);
  EXPECT_FALSE(r.u32le().has_value());
  EXPECT_FALSE(r.bytes(4).has_value());
  EXPECT_EQ(r.remaining(), 3u);
  EXPECT_EQ(r.u16be(), 0x0102);
}

TEST(ByteReaderTest, UntilStopsAtTheDelimiterAndConsumesIt) {
  Bytes data = to_bytes(std::string("abc\0def", 7));
  ByteReader r(data);
  EXPECT_EQ(as_chars(*r.until(0)), "abc");
  EXPECT_FALSE(r.until(0).has_value());
  EXPECT_EQ(r.remaining(), 3u);
}

TEST(ByteWriterTest, PatchesALengthPrefixAfterTheFact) {
  ByteWriter w;
  w.u32be(0).str("abcde");
  w.patch_u32be(0, 5);
  EXPECT_EQ(w.view()[3], 5);
}

}  // namespace
}  // namespace p2p
