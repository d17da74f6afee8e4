// Storage in memory, resume by verification, and the assembly of a piece from its blocks.
#include <gtest/gtest.h>

#include "bittorrent/memory_storage.h"
#include "bittorrent/piece_assembly.h"
#include "tests/bittorrent/album.h"

namespace p2p::bittorrent {
namespace {

using testing::Album;

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
