// napster-peer's shared folder on disk: scanned and hashed once, read by range, downloads kept apart until
// committed.
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>

#include "napster/app/disk_shared_files.h"

namespace p2p::napster {
namespace {

namespace fs = std::filesystem;

class DiskSharedFilesTest : public ::testing::Test {
 protected:
  DiskSharedFilesTest()
      : folder_(fs::temp_directory_path() / ("napster-disk-test-" + std::to_string(getpid()))) {
    fs::remove_all(folder_);
    fs::create_directories(folder_);
  }
  ~DiskSharedFilesTest() override { fs::remove_all(folder_); }

  void write(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

  std::unique_ptr<DiskSharedFiles> open(std::uint64_t max_download = 1 << 20) {
    auto files = DiskSharedFiles::open(folder_, max_download);
    EXPECT_TRUE(files.ok()) << files.reason();
    return std::move(files).value();
  }

  fs::path folder_;
};

TEST_F(DiskSharedFilesTest, SharesThePlainFilesOfTheFolderWithTheirMd5) {
  write(folder_ / "blue river.mp3", "la la la");
  write(folder_ / ".hidden.mp3", "secret");
  fs::create_directories(folder_ / "sub");
  write(folder_ / "sub" / "inner.mp3", "deeper");

  auto files = open();
  auto listed = files->list();
  ASSERT_EQ(listed.size(), 1u) << "hidden files and subfolders are not shared";
  EXPECT_EQ(listed[0].name, "blue river.mp3");
  EXPECT_EQ(listed[0].size, 8u);
  EXPECT_EQ(listed[0].md5, md5(as_bytes("la la la")));
  EXPECT_FALSE(files->find("sub").has_value());
  EXPECT_FALSE(files->find(".hidden.mp3").has_value());
}

TEST_F(DiskSharedFilesTest, ReadsAnyRangeAndStopsAtTheEnd) {
  write(folder_ / "song.mp3", "0123456789");
  auto files = open();
  EXPECT_EQ(as_chars(*files->read("song.mp3", 2, 3)), "234");
  EXPECT_EQ(as_chars(*files->read("song.mp3", 8, 100)), "89");
  EXPECT_TRUE(files->read("song.mp3", 10, 5)->empty());
  EXPECT_FALSE(files->read("other.mp3", 0, 5).ok()) << "only shared files are read";
}

TEST_F(DiskSharedFilesTest, ADownloadJoinsTheFolderOnlyWhenCommitted) {
  auto files = open();
  SharedFile song{"new song.mp3", 6, md5(as_bytes("abcdef"))};

  // An abandoned download leaves nothing behind.
  {
    auto sink = files->create(song);
    ASSERT_TRUE(sink.ok()) << sink.reason();
    ASSERT_TRUE((*sink)->write(as_bytes("abc")).ok());
  }
  EXPECT_FALSE(fs::exists(folder_ / "new song.mp3"));
  EXPECT_TRUE(fs::is_empty(folder_ / ".incoming"));

  // A complete one is moved into the folder and listed.
  auto sink = files->create(song);
  ASSERT_TRUE(sink.ok());
  ASSERT_TRUE((*sink)->write(as_bytes("abc")).ok());
  EXPECT_FALSE(files->find("new song.mp3").has_value()) << "not before commit";
  ASSERT_TRUE((*sink)->write(as_bytes("def")).ok());
  EXPECT_FALSE((*sink)->write(as_bytes("g")).ok()) << "more than the size";
  ASSERT_TRUE((*sink)->commit().ok());
  EXPECT_EQ(files->find("new song.mp3"), song);
  EXPECT_EQ(as_chars(*files->read("new song.mp3", 0, 6)), "abcdef");
  // And a later peer process shares it too.
  EXPECT_EQ(open()->find("new song.mp3"), song);
}

TEST_F(DiskSharedFilesTest, RefusesUnsafeNamesAndFilesOverTheLimit) {
  auto files = open(1000);
  for (std::string name : {"../escape.mp3", "/etc/passwd", "a/b.mp3", ".incoming", ".."}) {
    EXPECT_FALSE(files->create({name, 10, {}}).ok()) << name;
  }
  EXPECT_FALSE(files->create({"big.mp3", 1001, {}}).ok());
  EXPECT_FALSE(fs::exists(folder_.parent_path() / "escape.mp3"));
}

}  // namespace
}  // namespace p2p::napster
