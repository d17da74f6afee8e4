// Storage: pieces across file boundaries on disk, pre-allocation, resume by verification, and in memory.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "bittorrent/disk_storage.h"
#include "bittorrent/memory_storage.h"
#include "bittorrent/piece_assembly.h"

namespace p2p::bittorrent {
namespace {

namespace fs = std::filesystem;

// A scratch folder under /tmp, removed after the test.
struct TempDir {
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "p2plab-storage-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path); }
  fs::path path;
};

// "album": a.bin (40000 bytes), empty.txt (0), cd1/b.bin (30000), in 16 KiB pieces: piece 2 spans a.bin's
// end, the empty file and b.bin's start.
struct Album {
  Album() {
    for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<std::uint8_t>(i * 7 + i / 256);
    TorrentSpec spec;
    spec.announce = "http://127.0.0.1:1/announce";
    spec.name = "album";
    spec.piece_length = 16384;
    spec.files = {{{"a.bin"}, 40000}, {{"empty.txt"}, 0}, {{"cd1", "b.bin"}, 30000}};
    ByteView all(content);
    auto torrent =
        make_metainfo(spec, memory_reader({all.first(40000), all.subspan(40000, 0), all.subspan(40000)}));
    metainfo = *parse_metainfo(*torrent);
  }
  ByteView piece(std::uint32_t i) const {
    return ByteView(content).subspan(i * 16384, metainfo.piece_size(PieceIndex(i)));
  }
  Bytes content = Bytes(70000);
  Metainfo metainfo;
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

TEST(MemoryStorageTest, HoldsWrittenPiecesAndASeedsWholeContent) {
  Album album;
  MemoryStorage seed(album.metainfo.layout(), album.content);
  EXPECT_TRUE(verify_pieces(seed, album.metainfo).all());
  MemoryStorage leecher(album.metainfo.layout());
  EXPECT_TRUE(verify_pieces(leecher, album.metainfo).none());
  ASSERT_TRUE(leecher.write_piece(PieceIndex(4), album.piece(4)));
  EXPECT_EQ(verify_pieces(leecher, album.metainfo).count(), 1u);
  Bytes past(10);
  EXPECT_FALSE(leecher.read(PieceIndex(4), album.metainfo.piece_size(PieceIndex(4)) - 5, past));
}

TEST(MemoryStorageTest, PiecesOfZerosAreStillCheckedAgainstTheTorrent) {
  // verify_pieces compares a piece of zeros with the hash of zeros, computed once per piece size: a fresh
  // storage holds none of the album (above), but all of a torrent of zeros, its short last piece included.
  TorrentSpec spec;
  spec.announce = "http://127.0.0.1:1/announce";
  spec.name = "zeros";
  spec.piece_length = 16384;
  spec.files = {{{"zeros.bin"}, 40000}};
  Bytes zeros(40000);
  Metainfo metainfo = *parse_metainfo(*make_metainfo(spec, memory_reader({zeros})));
  MemoryStorage fresh(metainfo.layout());
  EXPECT_TRUE(verify_pieces(fresh, metainfo).all());
}

TEST(PieceAssemblyTest, APieceIsGoodOnlyWhenEveryBlockMatchesItsHash) {
  Album album;
  PieceAssembly assembly(album.metainfo);
  ByteView piece = album.piece(1);
  assembly.add(PieceIndex(1), 0, piece.first(10000));
  EXPECT_FALSE(assembly.verify(PieceIndex(1)));  // half of it is still zeros
  assembly.add(PieceIndex(1), 10000, piece.subspan(10000));
  EXPECT_TRUE(assembly.verify(PieceIndex(1)));
  EXPECT_TRUE(std::ranges::equal(assembly.data(PieceIndex(1)), piece));
  assembly.drop(PieceIndex(1));
  EXPECT_EQ(assembly.in_progress(), 0u);
}

}  // namespace
}  // namespace p2p::bittorrent
