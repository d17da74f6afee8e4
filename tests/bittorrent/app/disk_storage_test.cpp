// DiskStorage: pieces across file boundaries on disk, pre-allocation, and resume by verification.
#include "bittorrent/app/disk_storage.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/bittorrent/album.h"

namespace p2p::bittorrent {
namespace {

namespace fs = std::filesystem;
using testing::Album;

// A scratch folder under /tmp, removed after the test.
struct TempDir {
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "p2plab-storage-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path); }
  fs::path path;
};

std::string file_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(DiskStorageTest, PreallocatesEveryFileAndSplitsPiecesAcrossThem) {
  TempDir dir;
  Album album;
  auto storage = DiskStorage::open(album.metainfo, dir.path);
  ASSERT_TRUE(storage) << storage.reason();
  // Files exist at full length before any piece arrives.
  EXPECT_EQ(fs::file_size(dir.path / "album" / "a.bin"), 40000u);
  EXPECT_EQ(fs::file_size(dir.path / "album" / "empty.txt"), 0u);
  EXPECT_EQ(fs::file_size(dir.path / "album" / "cd1" / "b.bin"), 30000u);

  // Pieces written out of order land where they belong; a block read back spans the file boundary.
  for (std::uint32_t i : {4u, 2u, 0u, 3u, 1u})
    ASSERT_TRUE((*storage)->write_piece(PieceIndex(i), album.piece(i)));
  EXPECT_EQ(file_text(dir.path / "album" / "a.bin"),
            std::string(as_chars(ByteView(album.content).first(40000))));
  EXPECT_EQ(file_text(dir.path / "album" / "cd1" / "b.bin"),
            std::string(as_chars(ByteView(album.content).subspan(40000))));
  Bytes block(10000);
  ASSERT_TRUE((*storage)->read(PieceIndex(2), 5000, block));
  EXPECT_TRUE(std::ranges::equal(block, ByteView(album.content).subspan(2 * 16384 + 5000, 10000)));
}

TEST(DiskStorageTest, AReopenedFolderResumesWithOnlyTheIntactPieces) {
  // Two pieces are written, then one of them is damaged on disk: a restart keeps only the intact one.
  TempDir dir;
  Album album;
  {
    auto storage = DiskStorage::open(album.metainfo, dir.path);
    ASSERT_TRUE(storage);
    ASSERT_TRUE((*storage)->write_piece(PieceIndex(0), album.piece(0)));
    ASSERT_TRUE((*storage)->write_piece(PieceIndex(3), album.piece(3)));
  }
  {
    std::fstream file(dir.path / "album" / "cd1" / "b.bin", std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(3 * 16384 - 40000 + 10);
    file.put('\0');
  }
  auto storage = DiskStorage::open(album.metainfo, dir.path);
  ASSERT_TRUE(storage);
  PieceSet have = verify_pieces(**storage, album.metainfo);
  EXPECT_EQ(have.count(), 1u);
  EXPECT_TRUE(have.has(PieceIndex(0)));
}

TEST(DiskStorageTest, AFolderThatCannotBeCreatedIsAnError) {
  TempDir dir;
  Album album;
  std::ofstream(dir.path / "album") << "a file where the folder should be";
  auto storage = DiskStorage::open(album.metainfo, dir.path);
  ASSERT_FALSE(storage);
  EXPECT_NE(storage.reason().find("album"), std::string::npos);
}

}  // namespace
}  // namespace p2p::bittorrent
