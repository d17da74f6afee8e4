// Downloader on a FakeRuntime and a table of its own: interest, requests, pieces checked, stored and
// announced.
#include "bittorrent/downloader.h"

#include <gtest/gtest.h>

#include "bittorrent/memory_storage.h"
#include "bittorrent/synthetic_content.h"
#include "tests/bittorrent/fake_connection_table.h"
#include "tests/support/fake_runtime.h"

namespace p2p::bittorrent {
namespace {

using p2p::testing::FakeRuntime;

// A leecher of a torrent of 4 pieces of one 16 KiB block each, starting with none, endgame off (so each
// block is asked of one peer only).
class DownloaderTest : public ::testing::Test {
 protected:
  DownloaderTest() {
    SyntheticContent content;
    content.size = 4 * kBlockSize;
    content.piece_length = kBlockSize;
    content.announce = "http://127.0.0.1:1/announce";
    config_.metainfo = std::make_shared<const Metainfo>(*parse_metainfo(*make_synthetic_torrent(content)));
    original_ = synthetic_bytes(content);
    storage_ = std::make_shared<MemoryStorage>(layout_);
    config_.storage = storage_;
    config_.picker.endgame = false;
    config_.min_pipeline = 4;  // the torrent's 4 blocks asked of an unchoking peer at once
  }

  Downloader& downloader() {
    if (!downloader_)
      downloader_.emplace(runtime_, config_, layout_, table_,
                          [this](PieceIndex piece) { stored_.push_back(piece); });
    return *downloader_;
  }
  // A connected seed that has unchoked us.
  PeerConnection& unchoking_seed(std::uint64_t id) {
    PeerConnection& conn = table_.add(ConnId(id), layout_.piece_count());
    downloader().on_bitfield(conn, Bitfield{PieceSet::full(4).bitfield()});
    downloader().on_unchoke(conn);
    return conn;
  }
  // The block a request asks for, from the original content (or zeros, as a corrupt peer sends).
  Piece answer(const Request& request, bool corrupt = false) {
    zeros_.assign(request.length, 0);
    ByteView block = corrupt ? ByteView(zeros_)
                             : ByteView(original_).subspan(request.piece.value * kBlockSize, request.length);
    return Piece{request.piece, request.begin, block};
  }

  FakeRuntime runtime_;
  PeerConfig config_;
  TorrentLayout layout_{4 * kBlockSize, kBlockSize};
  Bytes original_, zeros_;
  std::shared_ptr<MemoryStorage> storage_;
  FakeConnectionTable table_{runtime_};
  std::optional<Downloader> downloader_;
  std::vector<PieceIndex> stored_;  // what the downloader reported stored, in order
};

TEST_F(DownloaderTest, SaysInterestedInAPeerWithPiecesWeLackAndRequestsOnceUnchoked) {
  PeerConnection& conn = table_.add(ConnId(1), layout_.piece_count());
  downloader().on_have(conn, Have{PieceIndex(2)});
  EXPECT_TRUE(conn.am_interested);
  SentMessages sent = take_messages(runtime_, conn.id);
  EXPECT_EQ(sent.of<Interested>().size(), 1u);
  EXPECT_TRUE(sent.of<Request>().empty()) << "asked before being unchoked";
  downloader().on_unchoke(conn);
  std::vector<Request> asked = take_messages(runtime_, conn.id).of<Request>();
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].piece, PieceIndex(2));
}

TEST_F(DownloaderTest, AVerifiedPieceIsStoredAndAnnouncedToThePeersThatLackIt) {
  PeerConnection& seed = unchoking_seed(1);
  PeerConnection& empty = table_.add(ConnId(2), layout_.piece_count());
  std::vector<Request> asked = take_messages(runtime_, seed.id).of<Request>();
  ASSERT_FALSE(asked.empty());
  downloader().on_piece(seed, answer(asked[0]));
  EXPECT_TRUE(downloader().picker().have().has(asked[0].piece));
  std::size_t at = asked[0].piece.value * kBlockSize;
  EXPECT_TRUE(std::ranges::equal(storage_->content().subspan(at, kBlockSize),
                                 ByteView(original_).subspan(at, kBlockSize)));
  EXPECT_EQ(take_messages(runtime_, empty.id).of<Have>().size(), 1u);
  EXPECT_TRUE(take_messages(runtime_, seed.id).of<Have>().empty()) << "told a seed of a piece it has";
  EXPECT_EQ(downloader().downloaded(), kBlockSize);
  EXPECT_EQ(downloader().from_seeds(), kBlockSize);
}

TEST_F(DownloaderTest, AChokeGivesTheRequestsBackForAnotherPeer) {
  PeerConnection& first = unchoking_seed(1);
  EXPECT_EQ(take_messages(runtime_, first.id).of<Request>().size(), 4u);
  PeerConnection& second = unchoking_seed(2);
  EXPECT_TRUE(take_messages(runtime_, second.id).of<Request>().empty()) << "every block was already asked";
  downloader().on_choke(first);
  EXPECT_TRUE(first.requested.empty());
  downloader().request_more(second);
  EXPECT_EQ(take_messages(runtime_, second.id).of<Request>().size(), 4u);
}

TEST_F(DownloaderTest, ReportsEachStoredPieceAndCompletesWithTheLast) {
  PeerConnection& seed = unchoking_seed(1);
  std::vector<PieceIndex> asked;
  for (const Request& request : take_messages(runtime_, seed.id).of<Request>()) {
    EXPECT_FALSE(downloader().complete());
    downloader().on_piece(seed, answer(request));
    asked.push_back(request.piece);
  }
  EXPECT_EQ(stored_, asked);
  EXPECT_TRUE(downloader().complete());
  EXPECT_TRUE(std::ranges::equal(storage_->content(), original_));
}

TEST_F(DownloaderTest, ASenderOfPiecesThatFailTheirHashIsBannedAtTheStrikeLimit) {
  config_.ban_strikes = 2;
  PeerConnection& seed = unchoking_seed(1);
  std::vector<Request> asked = take_messages(runtime_, seed.id).of<Request>();
  downloader().on_piece(seed, answer(asked[0], true));
  EXPECT_EQ(downloader().failed_pieces(), 1u);
  EXPECT_TRUE(table_.banned.empty()) << "banned at the first strike";
  downloader().on_piece(seed, answer(asked[1], true));
  EXPECT_TRUE(table_.banned.contains(ConnId(1)));
  EXPECT_EQ(table_.closed[ConnId(1)], "banned: 2 pieces failed their hash");
  EXPECT_FALSE(downloader().picker().have().has(asked[0].piece));
}

}  // namespace
}  // namespace p2p::bittorrent
