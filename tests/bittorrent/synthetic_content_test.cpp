// Tests of synthetic content: the same description gives the same torrent, and a finished copy is checked
// against the generator itself, not against the piece hashes.
#include "bittorrent/synthetic_content.h"

#include <gtest/gtest.h>

#include "bittorrent/memory_storage.h"

namespace p2p::bittorrent {
namespace {

SyntheticContent small_file() {
  SyntheticContent content;
  content.size = 100'000;  // a short last piece
  content.piece_length = 32 * 1024;
  content.content_seed = 7;
  content.announce = "http://127.0.0.1:1/announce";
  return content;
}

TEST(SyntheticContentTest, EveryPeerGivenTheSameFlagsMakesTheSameInfoHash) {
  auto a = make_synthetic_torrent(small_file());
  auto b = make_synthetic_torrent(small_file());
  SyntheticContent other = small_file();
  other.content_seed = 8;
  auto c = make_synthetic_torrent(other);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(parse_metainfo(*a)->info_hash, parse_metainfo(*b)->info_hash);
  EXPECT_NE(parse_metainfo(*a)->info_hash, parse_metainfo(*c)->info_hash);
}

TEST(SyntheticContentTest, AFinishedCopyMatchesTheGeneratorOnlyIfEveryByteDoes) {
  SyntheticContent content = small_file();
  TorrentLayout layout(content.size, content.piece_length);
  MemoryStorage copy(layout, synthetic_bytes(content));
  EXPECT_TRUE(matches_synthetic(copy, layout, content.content_seed));
  EXPECT_FALSE(matches_synthetic(copy, layout, content.content_seed + 1));  // another file altogether

  // One flipped byte in the short last piece.
  Bytes last(layout.piece_size(PieceIndex(3)));
  ASSERT_TRUE(copy.read(PieceIndex(3), 0, last));
  last.back() ^= 0x01;
  ASSERT_TRUE(copy.write_piece(PieceIndex(3), last));
  EXPECT_FALSE(matches_synthetic(copy, layout, content.content_seed));

  // A leecher's empty storage is not the file either.
  MemoryStorage empty(layout);
  EXPECT_FALSE(matches_synthetic(empty, layout, content.content_seed));
}

}  // namespace
}  // namespace p2p::bittorrent
