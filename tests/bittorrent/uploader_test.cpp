// Uploader on a FakeRuntime and a table of its own: whom it unchokes, which requests it queues, what it
// serves.
#include "bittorrent/uploader.h"

#include <gtest/gtest.h>

#include "bittorrent/memory_storage.h"
#include "bittorrent/synthetic_content.h"
#include "tests/bittorrent/fake_connection_table.h"
#include "tests/support/fake_runtime.h"

namespace p2p::bittorrent {
namespace {

using p2p::testing::FakeRuntime;

// A seed of a torrent of 4 pieces of one 16 KiB block each, serving the peers in `table_`.
class UploaderTest : public ::testing::Test {
 protected:
  UploaderTest() {
    SyntheticContent content;
    content.size = 4 * kBlockSize;
    content.piece_length = kBlockSize;
    content.announce = "http://127.0.0.1:1/announce";
    config_.metainfo = std::make_shared<const Metainfo>(*parse_metainfo(*make_synthetic_torrent(content)));
    config_.storage = std::make_shared<MemoryStorage>(layout_, synthetic_bytes(content));
    config_.choker.optimistic = false;  // the regular slots alone, so each test knows whom they hold
  }

  Uploader& uploader() {
    if (!uploader_) uploader_.emplace(runtime_, config_, layout_, have_, table_);
    return *uploader_;
  }
  // A connected peer that said interested, and so holds a free slot at once.
  PeerConnection& unchoked_peer(std::uint64_t id) {
    PeerConnection& conn = table_.add(ConnId(id), layout_.piece_count());
    uploader().on_interest(conn, true);
    take_messages(runtime_, conn.id);
    return conn;
  }
  std::size_t pieces_sent(ConnId conn) { return take_messages(runtime_, conn).of<Piece>().size(); }

  FakeRuntime runtime_;
  PeerConfig config_;
  TorrentLayout layout_{4 * kBlockSize, kBlockSize};
  PieceSet have_ = PieceSet::full(4);
  FakeConnectionTable table_{runtime_};
  std::optional<Uploader> uploader_;
};

TEST_F(UploaderTest, AnInterestedPeerGetsAFreeSlotWithoutWaitingForTheRound) {
  PeerConnection& conn = table_.add(ConnId(1), layout_.piece_count());
  uploader().on_interest(conn, true);
  EXPECT_FALSE(conn.am_choking);
  EXPECT_EQ(take_messages(runtime_, conn.id).of<Unchoke>().size(), 1u);
}

TEST_F(UploaderTest, WithEverySlotTakenAnInterestedPeerWaitsForTheRound) {
  // A leecher with the optimistic unchoke off: four peers hold the four regular slots, so a fifth that says
  // interested waits for the next round, and no holder is choked to make room before it.
  have_ = PieceSet(4);
  have_.insert(PieceIndex(0));
  std::vector<PeerConnection*> holders;
  for (std::uint64_t id = 1; id <= 4; ++id) holders.push_back(&unchoked_peer(id));
  for (std::uint64_t id = 5; id <= 12; ++id) {
    PeerConnection& late = table_.add(ConnId(id), layout_.piece_count());
    uploader().on_interest(late, true);
    EXPECT_TRUE(late.am_choking) << id;
  }
  for (PeerConnection* holder : holders) {
    EXPECT_FALSE(holder->am_choking);
    EXPECT_TRUE(take_messages(runtime_, holder->id).of<Choke>().empty());
  }
}

TEST_F(UploaderTest, AFreeRiderUnchokesNobody) {
  config_.free_rider = true;
  PeerConnection& conn = table_.add(ConnId(1), layout_.piece_count());
  uploader().on_interest(conn, true);
  uploader().rechoke();
  EXPECT_TRUE(conn.am_choking);
  EXPECT_TRUE(take_messages(runtime_, conn.id).frames.empty());
}

TEST_F(UploaderTest, RequestsWhileChokedAreDroppedWithoutClosing) {
  PeerConnection& conn = table_.add(ConnId(1), layout_.piece_count());
  uploader().on_request(conn, Request{PieceIndex(0), 0, kBlockSize});
  runtime_.advance(Duration{0});
  EXPECT_EQ(pieces_sent(conn.id), 0u);
  EXPECT_TRUE(table_.closed.empty());
}

TEST_F(UploaderTest, ChokingAPeerDiscardsTheRequestsItQueued) {
  // The peer queues two requests, then loses interest; the next round chokes it before they are served.
  PeerConnection& conn = unchoked_peer(1);
  uploader().on_request(conn, Request{PieceIndex(0), 0, kBlockSize});
  uploader().on_request(conn, Request{PieceIndex(1), 0, kBlockSize});
  uploader().on_interest(conn, false);
  uploader().rechoke();
  EXPECT_TRUE(conn.queue.empty());
  runtime_.advance(Duration{0});
  SentMessages sent = take_messages(runtime_, conn.id);
  EXPECT_EQ(sent.of<Choke>().size(), 1u);
  EXPECT_TRUE(sent.of<Piece>().empty());
}

TEST_F(UploaderTest, RequestsBeyondTheQueuesCapAreDroppedAndCounted) {
  config_.max_queued_requests = 2;
  PeerConnection& conn = unchoked_peer(1);
  for (std::uint32_t piece = 0; piece < 3; ++piece)
    uploader().on_request(conn, Request{PieceIndex(piece), 0, kBlockSize});
  EXPECT_EQ(uploader().requests_dropped(), 1u);
  EXPECT_EQ(conn.requests_dropped, 1u);
  runtime_.advance(Duration{0});
  EXPECT_EQ(pieces_sent(conn.id), 2u);
  EXPECT_EQ(uploader().uploaded(), 2 * kBlockSize);
}

// A flood of requests for one block (a hostile peer) gets that block once, not once a request.
TEST_F(UploaderTest, ARequestForABlockAlreadyQueuedIsDroppedAndCounted) {
  PeerConnection& conn = unchoked_peer(1);
  for (int i = 0; i < 100; ++i) uploader().on_request(conn, Request{PieceIndex(0), 0, kBlockSize});
  uploader().on_request(conn, Request{PieceIndex(1), 0, kBlockSize});
  EXPECT_EQ(uploader().requests_duplicate(), 99u);
  EXPECT_EQ(uploader().requests_dropped(), 0u);
  runtime_.advance(Duration{0});
  EXPECT_EQ(pieces_sent(conn.id), 2u);
  // Once sent, the block may be asked for again (a piece that failed its hash check is fetched anew).
  uploader().on_request(conn, Request{PieceIndex(0), 0, kBlockSize});
  runtime_.advance(Duration{0});
  EXPECT_EQ(pieces_sent(conn.id), 1u);
}

TEST_F(UploaderTest, ACancelledRequestIsNotServed) {
  PeerConnection& conn = unchoked_peer(1);
  uploader().on_request(conn, Request{PieceIndex(0), 0, kBlockSize});
  uploader().on_request(conn, Request{PieceIndex(1), 0, kBlockSize});
  uploader().on_cancel(conn, Cancel{PieceIndex(0), 0, kBlockSize});
  runtime_.advance(Duration{0});
  SentMessages sent = take_messages(runtime_, conn.id);
  std::vector<Piece> pieces = sent.of<Piece>();
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].piece, PieceIndex(1));
}

TEST_F(UploaderTest, AFullUplinkHoldsRequestsUntilItDrains) {
  PeerConnection& conn = unchoked_peer(1);
  runtime_.queued[conn.id] = 1 << 20;  // far more than any window
  uploader().on_request(conn, Request{PieceIndex(0), 0, kBlockSize});
  uploader().on_request(conn, Request{PieceIndex(1), 0, kBlockSize});
  runtime_.advance(Duration{0});
  EXPECT_EQ(pieces_sent(conn.id), 0u);
  runtime_.queued[conn.id] = 0;
  runtime_.advance(std::chrono::milliseconds(250));
  EXPECT_EQ(pieces_sent(conn.id), 2u);
}

// The uplink holds 96 KiB for a peer served at 16 KiB/s, over its 64 KiB window: draining to half the window
// would take 4 s, so the retry comes after the longest wait, 250 ms, instead of every 10 ms.
TEST_F(UploaderTest, AFullUplinkIsRetriedWhenItShouldHaveDrained) {
  PeerConnection& conn = unchoked_peer(1);
  uploader().on_request(conn, Request{PieceIndex(0), 0, kBlockSize});
  runtime_.advance(std::chrono::seconds(1));  // one block in the first second: 16 KiB/s
  ASSERT_EQ(pieces_sent(conn.id), 1u);
  runtime_.queued[conn.id] = 96 * 1024;
  uploader().on_request(conn, Request{PieceIndex(1), 0, kBlockSize});
  runtime_.advance(Duration{0});
  runtime_.queued[conn.id] = 0;
  runtime_.advance(std::chrono::milliseconds(200));
  EXPECT_EQ(pieces_sent(conn.id), 0u);
  runtime_.advance(std::chrono::milliseconds(50));
  EXPECT_EQ(pieces_sent(conn.id), 1u);
}

TEST_F(UploaderTest, ARequestForAPieceWeLackClosesTheConnection) {
  have_ = PieceSet(4);
  have_.insert(PieceIndex(0));
  PeerConnection& conn = unchoked_peer(1);
  uploader().on_request(conn, Request{PieceIndex(2), 0, kBlockSize});
  EXPECT_EQ(table_.closed[ConnId(1)], "bad request: a piece we do not have");
}

}  // namespace
}  // namespace p2p::bittorrent
