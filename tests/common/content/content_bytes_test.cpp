// Content bytes: the same however they are cut, checked block by block, and hashed as the catalogue says.
#include "common/content/content_bytes.h"

#include <gtest/gtest.h>

#include "common/util/encoding.h"

namespace p2p::content {
namespace {

class FileContentTest : public ::testing::Test {
 protected:
  Catalogue catalogue_ =
      Catalogue::generate({.files = 20, .min_size = 100, .max_size = 200'000, .seed = 4}).value();
};

TEST(ContentBytesTest, AreStableAcrossRunsAndBuilds) {
  // Content id 0 is splitmix64 seeded with 0 (0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4), little-endian. Pinned:
  // published hashes and test fixtures depend on these bytes never changing.
  Bytes out(16);
  content_bytes(0, 0, out);
  EXPECT_EQ(to_hex(out), "afcd1d7b39a820e2f465b9a16a9e786e");
  Bytes again(16);
  content_bytes(0, 0, again);
  EXPECT_EQ(out, again);
}

TEST(ContentBytesTest, AreTheSameAtAnyOffsetSplit) {
  // Make 100 bytes from offset 5 in one go, then in two pieces split at every point: always the same bytes.
  Bytes whole(100);
  content_bytes(77, 5, whole);
  for (std::size_t split = 0; split <= whole.size(); ++split) {
    Bytes head(split), tail(whole.size() - split);
    content_bytes(77, 5, head);
    content_bytes(77, 5 + split, tail);
    head.insert(head.end(), tail.begin(), tail.end());
    ASSERT_EQ(head, whole) << "split at " << split;
  }
  // Another content id is another stream.
  Bytes other(100);
  content_bytes(78, 5, other);
  EXPECT_NE(other, whole);
}

TEST_F(FileContentTest, FileRangesStopAtTheEndOfTheFile) {
  const FileEntry& f = catalogue_.file(0);
  EXPECT_EQ(content_bytes(f, f.size - 10, 100).size(), 10u);
  EXPECT_TRUE(content_bytes(f, f.size, 100).empty());
  EXPECT_TRUE(content_bytes(f, f.size + 1, 100).empty());
}

TEST_F(FileContentTest, MatchesContentAcceptsTheRightBlockOnly) {
  const FileEntry& f = catalogue_.file(1);
  Bytes block = content_bytes(f, 64, 32);
  EXPECT_TRUE(matches_content(f, 64, block));
  EXPECT_FALSE(matches_content(f, 65, block));  // right bytes, wrong place
  block[7] ^= 1;
  EXPECT_FALSE(matches_content(f, 64, block));  // one flipped bit
  Bytes tail = content_bytes(f, f.size - 4, 4);
  tail.push_back(0);
  EXPECT_FALSE(matches_content(f, f.size - 4, tail));  // runs past the end of the file
}

TEST_F(FileContentTest, DigestsAreThoseOfTheWholeContent) {
  const FileEntry& f = catalogue_.file(2);
  const Bytes all = content_bytes(f, 0, f.size);
  ASSERT_EQ(all.size(), f.size);
  EXPECT_EQ(file_md5(f), md5(all));
  EXPECT_EQ(file_sha1(f), sha1(all));
}

}  // namespace
}  // namespace p2p::content
