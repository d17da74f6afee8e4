// PieceSet and TorrentLayout: the bitfield's wire form and its BEP 3 checks, and piece and block geometry.
#include "bittorrent/piece_set.h"

#include <gtest/gtest.h>

#include "bittorrent/torrent_layout.h"

namespace p2p::bittorrent {
namespace {

TEST(PieceSetTest, StoresPieceZeroInTheHighBitOfTheFirstByte) {
  PieceSet set(10);
  set.insert(PieceIndex(0));
  set.insert(PieceIndex(9));
  ASSERT_EQ(set.bitfield().size(), 2u);
  EXPECT_EQ(set.bitfield()[0], 0x80);
  EXPECT_EQ(set.bitfield()[1], 0x40);
  EXPECT_EQ(set.count(), 2u);
  EXPECT_TRUE(set.has(PieceIndex(9)));
  EXPECT_FALSE(set.has(PieceIndex(8)));
  EXPECT_FALSE(set.has(PieceIndex(10)));    // out of range is simply absent
  EXPECT_FALSE(set.insert(PieceIndex(9)));  // a repeated have changes nothing
  EXPECT_EQ(set.count(), 2u);
}

TEST(PieceSetTest, ReadsABitfieldOfTheRightSize) {
  auto set = PieceSet::from_bitfield(std::vector<std::uint8_t>{0xff, 0xc0}, 10);
  ASSERT_TRUE(set) << set.reason();
  EXPECT_TRUE(set->all());
  EXPECT_EQ(*set, PieceSet::full(10));
}

TEST(PieceSetTest, RefusesABitfieldOfTheWrongSizeOrWithSpareBitsSet) {
  auto too_long = PieceSet::from_bitfield(std::vector<std::uint8_t>{0xff, 0xc0, 0x00}, 10);
  ASSERT_FALSE(too_long);
  EXPECT_NE(too_long.reason().find("expected 2"), std::string::npos);
  EXPECT_FALSE(PieceSet::from_bitfield(std::vector<std::uint8_t>{0xff}, 10));
  auto spare = PieceSet::from_bitfield(std::vector<std::uint8_t>{0xff, 0xe0}, 10);  // bit for "piece 10"
  ASSERT_FALSE(spare);
  EXPECT_NE(spare.reason().find("spare bits"), std::string::npos);
  EXPECT_TRUE(PieceSet::from_bitfield(std::vector<std::uint8_t>{0x01}, 8));  // no spare bits when 8 | n
}

TEST(PieceSetTest, TellsWhetherAPeerHasAnythingWeLack) {
  PieceSet ours(4), theirs(4);
  ours.insert(PieceIndex(1));
  theirs.insert(PieceIndex(1));
  EXPECT_FALSE(theirs.has_any_missing_from(ours));
  theirs.insert(PieceIndex(3));
  EXPECT_TRUE(theirs.has_any_missing_from(ours));
}

TEST(TorrentLayoutTest, TheLastPieceAndTheLastBlockAreShort) {
  // 100 KiB + 1 byte in 64 KiB pieces: a full piece of 4 blocks, then 36 KiB + 1 in 3 blocks.
  TorrentLayout layout(102401, 65536);
  EXPECT_EQ(layout.piece_count(), 2u);
  EXPECT_EQ(layout.piece_size(PieceIndex(0)), 64u * 1024);
  EXPECT_EQ(layout.block_count(PieceIndex(0)), 4u);
  EXPECT_EQ(layout.piece_size(PieceIndex(1)), 36u * 1024 + 1);
  EXPECT_EQ(layout.block_count(PieceIndex(1)), 3u);
  EXPECT_EQ(layout.block_size(PieceIndex(1), 2), 4u * 1024 + 1);
  EXPECT_EQ(layout.piece_offset(PieceIndex(1)), 64 * 1024);
}

TEST(TorrentLayoutTest, ChecksThatARequestFitsItsPiece) {
  TorrentLayout layout(102400, 65536);  // 64 KiB + 36 KiB
  EXPECT_TRUE(layout.check_block(PieceIndex(0), 48 * 1024, kBlockSize));
  EXPECT_TRUE(layout.check_block(PieceIndex(1), 32 * 1024, 4 * 1024));
  EXPECT_NE(layout.check_block(PieceIndex(2), 0, 1).reason().find("does not exist"), std::string::npos);
  EXPECT_NE(layout.check_block(PieceIndex(0), 0, kBlockSize + 1).reason().find("1 to 16384"),
            std::string::npos);
  EXPECT_NE(layout.check_block(PieceIndex(0), 0, 0).reason().find("1 to 16384"), std::string::npos);
  EXPECT_NE(layout.check_block(PieceIndex(1), 32 * 1024, kBlockSize).reason().find("runs past"),
            std::string::npos);
  EXPECT_FALSE(layout.check_block(PieceIndex(0), UINT32_MAX, 2));  // no wrap-around
}

}  // namespace
}  // namespace p2p::bittorrent
