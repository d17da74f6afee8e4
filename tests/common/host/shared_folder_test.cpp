// Shared folders on disk: materialised files hash as the catalogue says, and a second run rewrites only what
// is wrong.
#include "common/host/shared_folder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>

#include "common/content/content_bytes.h"
#include "common/util/hash.h"

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
