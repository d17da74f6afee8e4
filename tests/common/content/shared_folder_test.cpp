// Shared folders: content bytes are the same however they are cut, and materialised files hash as the
// catalogue says.
#include "common/content/shared_folder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>

#include "common/util/encoding.h"

namespace p2p::content {
namespace {

namespace fs = std::filesystem;

Bytes read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class SharedFolderTest : public ::testing::Test {
 protected:
  // A folder of our own under /tmp, named for this process and test, removed afterwards.
  void SetUp() override {
    folder_ = fs::path("/tmp") / ("p2p_content_test_" + std::to_string(::getpid()) + "_" +
                                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }

  Catalogue catalogue_ =
      Catalogue::generate({.files = 20, .min_size = 100, .max_size = 200'000, .seed = 4}).value();
  fs::path folder_;
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

TEST_F(SharedFolderTest, FileRangesStopAtTheEndOfTheFile) {
  const FileEntry& f = catalogue_.file(0);
  EXPECT_EQ(content_bytes(f, f.size - 10, 100).size(), 10u);
  EXPECT_TRUE(content_bytes(f, f.size, 100).empty());
  EXPECT_TRUE(content_bytes(f, f.size + 1, 100).empty());
}

TEST_F(SharedFolderTest, MatchesContentAcceptsTheRightBlockOnly) {
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

TEST_F(SharedFolderTest, DigestsAreThoseOfTheWholeContent) {
  const FileEntry& f = catalogue_.file(2);
  const Bytes all = content_bytes(f, 0, f.size);
  ASSERT_EQ(all.size(), f.size);
  EXPECT_EQ(file_md5(f), md5(all));
  EXPECT_EQ(file_sha1(f), sha1(all));
}

TEST_F(SharedFolderTest, MaterialiseWritesFilesWhoseMd5MatchesTheCatalogue) {
  const std::vector<std::size_t> mine = {0, 3, 7, 19};
  ASSERT_TRUE(materialise(folder_, catalogue_, mine).ok());

  // Exactly those four files appear, each with its catalogue size and MD5.
  EXPECT_EQ(std::distance(fs::directory_iterator(folder_), fs::directory_iterator()), 4);
  for (std::size_t i : mine) {
    const FileEntry& f = catalogue_.file(i);
    const Bytes on_disk = read_file(folder_ / f.name);
    EXPECT_EQ(on_disk.size(), f.size) << f.name;
    EXPECT_EQ(md5(on_disk), file_md5(f)) << f.name;
  }
}

TEST_F(SharedFolderTest, MaterialiseSkipsFilesOfTheRightSizeAndRewritesOthers) {
  const FileEntry& kept = catalogue_.file(0);
  const FileEntry& truncated = catalogue_.file(1);
  const std::vector<std::size_t> mine = {0, 1};
  ASSERT_TRUE(materialise(folder_, catalogue_, mine).ok());

  // Scribble over one file without changing its size, and cut the other short.
  { std::fstream(folder_ / kept.name, std::ios::in | std::ios::out | std::ios::binary).put('X'); }
  fs::resize_file(folder_ / truncated.name, truncated.size / 2);
  ASSERT_TRUE(materialise(folder_, catalogue_, mine).ok());

  // The right-sized file was left alone (still scribbled); the short one was written again in full.
  EXPECT_EQ(read_file(folder_ / kept.name).front(), 'X');
  EXPECT_EQ(md5(read_file(folder_ / truncated.name)), file_md5(truncated));
}

TEST_F(SharedFolderTest, MaterialiseRefusesAnIndexOutsideTheCatalogue) {
  const std::vector<std::size_t> bad = {20};
  EXPECT_EQ(materialise(folder_, catalogue_, bad).reason(),
            "file index 20 is outside the catalogue of 20 files");
}

}  // namespace
}  // namespace p2p::content
