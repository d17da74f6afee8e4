// BufferMap: the sliding window over its ring (sets and slides across the ring's wrap) and the bitmap
// partners exchange (bit order, round trips at a non-zero ring offset, and the maps a decoder must refuse).
#include "coolstreaming/buffer_map.h"

#include <gtest/gtest.h>

#include <limits>
#include <set>

namespace p2p::coolstreaming {
namespace {

constexpr SegmentId kLastSegment = std::numeric_limits<SegmentId>::max();

TEST(BufferMapTest, StoresOnlySegmentsInsideItsWindowAndOnlyOnce) {
  BufferMap map(10, 100);  // segments 100..109
  EXPECT_EQ(map.last(), 109u);
  EXPECT_TRUE(map.set(100));
  EXPECT_TRUE(map.set(109));
  EXPECT_FALSE(map.set(109));  // a duplicate
  EXPECT_FALSE(map.set(99));   // too late: already left the window
  EXPECT_FALSE(map.set(110));  // too far ahead
  EXPECT_EQ(map.count(), 2u);
  EXPECT_TRUE(map.has(100));
  EXPECT_TRUE(map.has(109));
  EXPECT_FALSE(map.has(105));
  // 110 shares slot 0 with 100, but it is outside the window, so it is not held.
  EXPECT_FALSE(map.has(110));
}

TEST(BufferMapTest, NeighboursAcrossTheRingBoundaryKeepTheirOwnSlots) {
  // Window 5..12 of length 8: segment 7 sits in the ring's last slot and segment 8 in its first.
  BufferMap map(8, 5);
  ASSERT_TRUE(map.set(7));
  ASSERT_TRUE(map.set(8));
  map.advance_to(8);  // 5, 6, 7 leave; 13, 14, 15 enter in their slots
  EXPECT_FALSE(map.has(7));
  EXPECT_TRUE(map.has(8));
  EXPECT_EQ(map.count(), 1u);
  // Segment 15 reuses segment 7's slot, which the slide cleared: it enters empty and can be stored.
  EXPECT_FALSE(map.has(15));
  EXPECT_TRUE(map.set(15));
  EXPECT_TRUE(map.has(15));
  EXPECT_TRUE(map.has(8));
  EXPECT_EQ(map.count(), 2u);
}

TEST(BufferMapTest, SlidingManyTimesAroundTheRingMatchesASetOfSegments) {
  // A window of 10 slides by 3 at a time, 40 times (12 trips around the ring); every step stores a
  // pattern of segments near both edges, and the map must agree with a plain set clipped to the window.
  BufferMap map(10, 0);
  std::set<SegmentId> held;
  for (SegmentId start = 0; start <= 120; start += 3) {
    if (start > 0) map.advance_to(start);
    std::erase_if(held, [start](SegmentId s) { return s < start; });
    for (SegmentId s : {start, start + 4, start + 9}) {
      EXPECT_EQ(map.set(s), held.insert(s).second) << "segment " << s;
    }
    EXPECT_EQ(map.count(), held.size()) << "window at " << start;
    for (SegmentId s = start; s < start + 10; ++s) EXPECT_EQ(map.has(s), held.contains(s)) << "segment " << s;
  }
}

TEST(BufferMapTest, SlidingAWholeWindowOrMoreEmptiesIt) {
  BufferMap map(4, 0);
  for (SegmentId s = 0; s < 4; ++s) map.set(s);
  map.advance_to(4);
  EXPECT_EQ(map.count(), 0u);
  for (SegmentId s = 4; s < 8; ++s) EXPECT_FALSE(map.has(s));
  map.set(5);
  map.advance_to(1'000'000);
  EXPECT_EQ(map.count(), 0u);
  EXPECT_EQ(map.start(), 1'000'000u);
}

TEST(BufferMapTest, ListsTheMissingSegmentsOfARangeClippedToTheWindow) {
  BufferMap map(6, 10);  // 10..15
  map.set(11);
  map.set(14);
  EXPECT_EQ(map.missing(0, 100), (std::vector<SegmentId>{10, 12, 13, 15}));
  EXPECT_EQ(map.missing(12, 14), (std::vector<SegmentId>{12, 13}));
  EXPECT_TRUE(map.missing(20, 30).empty());
  EXPECT_TRUE(map.missing(13, 12).empty());  // an empty range
}

TEST(BufferMapTest, PacksTheWindowStartIntoTheHighBitWhateverTheRingOffset) {
  // After sliding to 7, segment 7 lives in ring slot 7, but on the wire it is bit 0.
  BufferMap map(12, 0);
  map.advance_to(7);  // window 7..18
  map.set(7);
  map.set(8);
  map.set(18);
  EXPECT_EQ(map.packed(), (Bytes{0xc0, 0x10}));  // bits 0, 1 and 11; the last 4 bits are padding
}

TEST(BufferMapTest, RoundTripsThroughTheWireAtANonZeroRingOffset) {
  BufferMap map(kDefaultWindow, 0);
  map.advance_to(1'234'567);  // slot of the window start: 1234567 % 120 = 7
  for (SegmentId s = map.start(); s <= map.last(); s += 7) map.set(s);
  map.set(map.last());
  auto back = BufferMap::unpack(map.start(), map.length(), map.packed());
  ASSERT_TRUE(back) << back.reason();
  EXPECT_EQ(*back, map);
  EXPECT_EQ(back->count(), map.count());
  EXPECT_TRUE(back->has(map.last()));
  EXPECT_FALSE(back->has(map.start() + 1));
}

TEST(BufferMapTest, AWindowMayEndOnTheLastSegmentId) {
  auto map = BufferMap::unpack(kLastSegment - 7, 8, Bytes{0x01});
  ASSERT_TRUE(map) << map.reason();
  EXPECT_EQ(map->last(), kLastSegment);
  EXPECT_TRUE(map->has(kLastSegment));
  EXPECT_EQ(map->missing(kLastSegment - 1, kLastSegment), (std::vector<SegmentId>{kLastSegment - 1}));
}

TEST(BufferMapTest, RefusesMapsThatDoNotDescribeAWindow) {
  auto short_map = BufferMap::unpack(0, 120, Bytes(14));
  ASSERT_FALSE(short_map);
  EXPECT_NE(short_map.reason().find("expected 15"), std::string::npos);
  EXPECT_FALSE(BufferMap::unpack(0, 120, Bytes(16)));

  auto padding = BufferMap::unpack(0, 12, Bytes{0x00, 0x08});  // bit 12: a segment past the window
  ASSERT_FALSE(padding);
  EXPECT_NE(padding.reason().find("past its window"), std::string::npos);

  auto off_the_end = BufferMap::unpack(kLastSegment - 6, 8, Bytes{0x00});
  ASSERT_FALSE(off_the_end);
  EXPECT_NE(off_the_end.reason().find("runs past the last segment"), std::string::npos);

  auto empty = BufferMap::unpack(0, 0, Bytes{});
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.reason().find("empty window"), std::string::npos);
}

}  // namespace
}  // namespace p2p::coolstreaming
