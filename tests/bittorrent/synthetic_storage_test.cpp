// Tests of SyntheticStorage: it reads what a full copy would hold, and notices a written piece that differs.
#include "bittorrent/synthetic_storage.h"

#include <gtest/gtest.h>

#include "bittorrent/synthetic_content.h"
#include "common/content/content_bytes.h"

namespace p2p::bittorrent {
namespace {

constexpr std::uint64_t kContentSeed = 7;

TorrentLayout small_layout() {
  return TorrentLayout(100'000, 32 * 1024);  // 4 pieces, the last one short
}

// The content of small_layout(), as a lab shares it among its peers.
std::shared_ptr<const Bytes> shared_content() {
  SyntheticContent content;
  content.size = small_layout().total_length();
  content.piece_length = 32 * 1024;
  content.content_seed = kContentSeed;
  return std::make_shared<const Bytes>(synthetic_bytes(content));
}

TEST(SyntheticStorageTest, ReadsTheSameBytesAsAFullCopyOfTheContent) {
  SyntheticStorage storage(small_layout(), shared_content());

  // A block in the middle of the short last piece, as an uploader asks for it: the generator's bytes there.
  Bytes block(1000), generated(1000);
  ASSERT_TRUE(storage.read(PieceIndex(3), 200, block));
  content::content_bytes(kContentSeed, 3 * 32 * 1024 + 200, generated);
  EXPECT_EQ(block, generated);
  // Nothing past the end of the content.
  Bytes past(small_layout().piece_size(PieceIndex(3)) + 1);
  EXPECT_FALSE(storage.read(PieceIndex(3), 0, past));
}

TEST(SyntheticStorageTest, StaysIntactOnlyWhileEveryWrittenPieceEqualsTheGenerator) {
  TorrentLayout layout = small_layout();
  std::shared_ptr<const Bytes> shared = shared_content();
  SyntheticStorage storage(layout, shared);
  SyntheticStorage source(layout, shared);
  Bytes piece(layout.piece_size(PieceIndex(1)));
  ASSERT_TRUE(source.read(PieceIndex(1), 0, piece));

  // The right bytes keep it intact...
  ASSERT_TRUE(storage.write_piece(PieceIndex(1), piece));
  EXPECT_TRUE(storage.intact());
  // ...right bytes at the wrong place do not, and it stays so.
  ASSERT_TRUE(storage.write_piece(PieceIndex(0), piece));
  EXPECT_FALSE(storage.intact());
  ASSERT_TRUE(storage.write_piece(PieceIndex(1), piece));
  EXPECT_FALSE(storage.intact());
}

}  // namespace
}  // namespace p2p::bittorrent
