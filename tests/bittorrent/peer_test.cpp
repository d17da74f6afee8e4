// Peer core on a FakeRuntime: hostile input closes the connection with a counted reason; bad pieces get a
// ban.
#include "bittorrent/peer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "tests/bittorrent/peer_fixture.h"

namespace p2p::bittorrent {
namespace {

TEST_F(PeerTest, AHandshakeForAnotherTorrentIsRefused) {
  start(true);
  Sha1Digest other{};
  EXPECT_EQ(closed(connect(other)), "wrong info-hash");
}

TEST_F(PeerTest, AnswersAValidHandshakeWithItsOwnAndItsBitfield) {
  start(true);
  ConnId conn = connect();
  auto sent = runtime_.take_sent(conn);
  ASSERT_GE(sent.size(), 2u);
  auto handshake = decode_handshake(sent[0]);
  ASSERT_TRUE(handshake);
  EXPECT_EQ(handshake->peer_id, peer_->peer_id());
  auto bitfield = decode_message(sent[1]);
  ASSERT_TRUE(bitfield && std::holds_alternative<Bitfield>(*bitfield));
  EXPECT_EQ(std::get<Bitfield>(*bitfield).bits[0], 0xf0);  // all 4 pieces
}

TEST_F(PeerTest, ItsStatusGivesTheFileSizeAndWhetherItUploads) {
  // A lab's distribution-time bound needs F and which peers upload
  // (labs/launcher/summaries/bittorrent_bound.h).
  config_.free_rider = true;
  start(false, {}, 4, 2);
  EXPECT_EQ(peer_->status()["size"], 4 * 2 * kBlockSize);
  EXPECT_EQ(peer_->status()["free_rider"], true);
}

TEST_F(PeerTest, ItsStatusListsEachConnectionUnlessToldNotTo) {
  start(true);
  connect();
  nlohmann::json listed = peer_->status();
  ASSERT_TRUE(listed.contains("peers"));
  EXPECT_EQ(listed["peers"].size(), 1u);

  // A --sim swarm's peers leave the table out; the counts stay.
  config_.status_connections = false;
  start(true);
  connect();
  nlohmann::json counted = peer_->status();
  EXPECT_FALSE(counted.contains("peers"));
  EXPECT_EQ(counted["connections"], 1);
}

TEST_F(PeerTest, ASuperSeedOffersOnePieceAtATimeInsteadOfItsBitfield) {
  // BEP 16: no bitfield, one have; the next have once another peer announces the piece it was offered.
  config_.super_seed = true;
  start(true);
  ConnId conn = connect();
  auto sent = messages(conn);
  std::vector<Have> first;
  for (const Bytes& bytes : sent) {
    auto message = decode_message(bytes);
    if (message && std::holds_alternative<Have>(*message)) first.push_back(std::get<Have>(*message));
    EXPECT_FALSE(message && std::holds_alternative<Bitfield>(*message));
  }
  ASSERT_EQ(first.size(), 1u);
  ConnId other = connect(std::nullopt, 'o');
  messages(other);
  send(conn, Have{PieceIndex((first[0].piece.value + 1) % 4)});  // a piece it got elsewhere: no new offer
  EXPECT_TRUE(messages_of<Have>(conn).empty());
  send(other, Have{first[0].piece});  // passed on
  auto next = messages_of<Have>(conn);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_NE(next[0].piece, first[0].piece);
}

TEST_F(PeerTest, RequestsOutsideAPieceOrOver16KiBCloseTheConnection) {
  start(true);
  ConnId beyond = connect();
  send(beyond, Request{PieceIndex(3), 8192, kBlockSize});
  EXPECT_TRUE(closed(beyond).starts_with("bad request: block 8192+16384 runs past piece 3"))
      << closed(beyond);
  ConnId large = connect();
  send(large, Request{PieceIndex(0), 0, 2 * kBlockSize});
  EXPECT_TRUE(closed(large).starts_with("bad request: block of 32768 bytes")) << closed(large);
  ConnId missing = connect();
  send(missing, Request{PieceIndex(9), 0, 1});
  EXPECT_TRUE(closed(missing).starts_with("bad request: piece 9 does not exist")) << closed(missing);
}

TEST_F(PeerTest, AMalformedMessageOrBitfieldClosesTheConnection) {
  start(true);
  ConnId malformed = connect();
  peer_->on_frame(malformed, Bytes{0, 0, 0, 3, 4, 0, 0});  // a have with 2 bytes of index
  EXPECT_TRUE(closed(malformed).starts_with("malformed message")) << closed(malformed);
  ConnId spare_bits = connect();
  send(spare_bits, Bitfield{as_bytes("\xff")});  // bits set past piece 3
  EXPECT_TRUE(closed(spare_bits).starts_with("bad bitfield")) << closed(spare_bits);
}

TEST_F(PeerTest, ServesTheBlocksAnUnchokedPeerRequests) {
  start(true);
  ConnId conn = connect();
  send(conn, Interested{});  // a free slot: unchoked at once
  auto sent = messages(conn);
  ASSERT_FALSE(sent.empty());
  EXPECT_TRUE(std::holds_alternative<Unchoke>(*decode_message(sent.back())));
  send(conn, Request{PieceIndex(2), 0, kBlockSize});
  runtime_.advance(Duration{0});  // requests are served once the messages that came with them are read
  sent = messages(conn);
  ASSERT_EQ(sent.size(), 1u);
  auto piece = decode_message(sent[0]);
  ASSERT_TRUE(piece && std::holds_alternative<Piece>(*piece));
  EXPECT_EQ(std::get<Piece>(*piece).block.size(), kBlockSize);
  EXPECT_EQ(sha1(std::get<Piece>(*piece).block), metainfo_->piece_hashes[2]);
  EXPECT_EQ(peer_->uploaded(), kBlockSize);
}

TEST_F(PeerTest, RequestsThatArriveTogetherAreServedInBatchedSends) {
  start(true, {}, 1, 8);
  ConnId conn = connect();
  send(conn, Interested{});
  messages(conn);
  for (std::uint32_t block = 0; block < 8; ++block)
    send(conn, Request{PieceIndex(0), block * kBlockSize, kBlockSize});
  EXPECT_TRUE(runtime_.sent[conn].empty()) << "served before the turn's messages were read";
  runtime_.advance(Duration{0});
  std::vector<Bytes> writes = runtime_.take_sent(conn);
  EXPECT_EQ(writes.size(), 2u) << "8 blocks of 16 KiB in sends of up to 64 KiB";
  Bytes received;
  for (const Bytes& bytes : writes) {
    for (ByteView rest = bytes; !rest.empty();) {
      auto length = 4 + (std::size_t{rest[0]} << 24 | std::size_t{rest[1]} << 16 | rest[2] << 8 | rest[3]);
      auto piece = decode_message(rest.first(length));
      ASSERT_TRUE(piece && std::holds_alternative<Piece>(*piece));
      EXPECT_EQ(std::get<Piece>(*piece).begin, received.size());
      received.insert(received.end(), std::get<Piece>(*piece).block.begin(),
                      std::get<Piece>(*piece).block.end());
      rest = rest.subspan(length);
    }
  }
  EXPECT_EQ(received, original_);
}

TEST_F(PeerTest, ADeepPipelineIsToppedUpOnceAnEighthOfItCameIn) {
  config_.min_pipeline = config_.max_pipeline = 64;  // as deep as a fast peer's, whatever its rate
  start(false, PickerConfig{.endgame = false}, 16, 16);
  ConnId conn = connect();
  send(conn, Bitfield{PieceSet::full(16).bitfield()});
  send(conn, Unchoke{});
  std::vector<Request> asked = messages_of<Request>(conn);
  ASSERT_EQ(asked.size(), 64u);
  auto answer = [&](const Request& request) {
    std::size_t at = std::size_t{request.piece.value} * 16 * kBlockSize + request.begin;
    send(conn, Piece{request.piece, request.begin, ByteView(original_).subspan(at, request.length)});
  };
  for (int i = 0; i < 7; ++i) answer(asked[i]);
  EXPECT_TRUE(messages_of<Request>(conn).empty()) << "refilled before an eighth of the pipeline came in";
  answer(asked[7]);
  EXPECT_EQ(messages_of<Request>(conn).size(), 8u);
}

TEST_F(PeerTest, APeerWhoseBlocksFailThreePieceHashesIsBanned) {
  // A leecher meets a "seed" that answers every request with zeros: each piece fails its SHA-1 and is asked
  // for again; at the third failure the sender is banned.
  start(false);
  ConnId conn = connect();
  send(conn, Bitfield{PieceSet::full(4).bitfield()});
  send(conn, Unchoke{});
  for (int round = 0; round < 10 && closed(conn).empty(); ++round) {
    for (const Bytes& bytes : messages(conn)) {
      auto message = decode_message(bytes);
      if (!message || !std::holds_alternative<Request>(*message)) continue;
      const auto& request = std::get<Request>(*message);
      Bytes zeros(request.length);
      send(conn, Piece{request.piece, request.begin, zeros});
      if (!closed(conn).empty()) break;
    }
  }
  EXPECT_TRUE(closed(conn).starts_with("banned: 3 pieces failed their hash")) << closed(conn);
  std::size_t failed = 0, banned = 0;
  for (const auto& event : runtime_.events) {
    failed += event.name == "piece_failed";
    banned += event.name == "peer_banned";
  }
  EXPECT_EQ(failed, 3u);
  EXPECT_EQ(banned, 1u);
  EXPECT_FALSE(peer_->have().count() > 0);
  // The banned peer id cannot come back.
  EXPECT_EQ(closed(connect()), "banned");
}

TEST_F(PeerTest, ReportsEachStoredPieceWithItsProgressThenCompletes) {
  // A leecher downloads the 4 pieces from an honest seed, 2 s apart: each stored piece is a piece_done event
  // counting the pieces held so far, the seconds since the peer started and the bytes so far from seeds (all
  // of them, one block per piece) and from leechers (none), and the last is followed by completed.
  start(false);
  ConnId conn = connect();
  send(conn, Bitfield{PieceSet::full(4).bitfield()});
  send(conn, Unchoke{});
  for (const Request& request : messages_of<Request>(conn)) {
    runtime_.advance(std::chrono::seconds(2));
    ByteView block = ByteView(original_).subspan(request.piece.value * kBlockSize, request.length);
    send(conn, Piece{request.piece, request.begin, block});
  }
  std::vector<std::pair<std::uint64_t, double>> done;  // (have, seconds) of each piece_done
  bool completed_last = false;
  for (const auto& event : runtime_.events) {
    if (event.name == "piece_done") {
      EXPECT_EQ(event.data["pieces"], 4);
      EXPECT_EQ(event.data["from_seeds"], event.data["have"].get<std::uint64_t>() * kBlockSize);
      EXPECT_EQ(event.data["from_leechers"], 0);
      done.emplace_back(event.data["have"].get<std::uint64_t>(), event.data["seconds"].get<double>());
    }
    completed_last = event.name == "completed" || (completed_last && event.name != "piece_done");
  }
  std::vector<std::pair<std::uint64_t, double>> expected = {{1, 2.0}, {2, 4.0}, {3, 6.0}, {4, 8.0}};
  EXPECT_EQ(done, expected);
  EXPECT_TRUE(completed_last) << "completed should follow the last piece_done";
}

TEST_F(PeerTest, ARestartedLeecherResumesFromItsVerifiedPiecesAndAsksOnlyForTheOthers) {
  // Pieces 0 and 2 passed verify_pieces when the killed leecher started again: it says so (resumed, 2 of 4)
  // and asks an honest seed for pieces 1 and 3 alone.
  config_.have = PieceSet(4);
  config_.have.insert(PieceIndex(0));
  config_.have.insert(PieceIndex(2));
  start(false);
  auto resumed = std::ranges::find(runtime_.events, "resumed", &FakeRuntime::Event::name);
  ASSERT_NE(resumed, runtime_.events.end());
  EXPECT_EQ(resumed->data["have"], 2);
  EXPECT_EQ(resumed->data["pieces"], 4);
  ConnId conn = connect();
  send(conn, Bitfield{PieceSet::full(4).bitfield()});
  send(conn, Unchoke{});
  std::set<std::uint32_t> asked;
  for (const Request& request : messages_of<Request>(conn)) asked.insert(request.piece.value);
  EXPECT_EQ(asked, (std::set<std::uint32_t>{1, 3}));
}

TEST_F(PeerTest, AFreshLeecherHasNothingToResume) {
  start(false);
  EXPECT_EQ(std::ranges::find(runtime_.events, "resumed", &FakeRuntime::Event::name), runtime_.events.end());
}

TEST_F(PeerTest, RequestsUnansweredForTheTimeoutAreCancelledAndAskedOfAnotherPeer) {
  // Two seeds unchoke a leecher (endgame off, so a block is asked of one peer only). The first takes every
  // request and answers none; once the request timeout passes, they are cancelled and asked of the second.
  start(false, PickerConfig{.endgame = false});
  ConnId silent = connect();
  send(silent, Bitfield{PieceSet::full(4).bitfield()});
  send(silent, Unchoke{});
  EXPECT_EQ(messages_of<Request>(silent).size(), 4u);
  ConnId helpful = connect(std::nullopt, 'h');
  send(helpful, Bitfield{PieceSet::full(4).bitfield()});
  send(helpful, Unchoke{});
  EXPECT_TRUE(messages_of<Request>(helpful).empty());

  runtime_.advance(PeerConfig{}.request_timeout - std::chrono::seconds(2));
  EXPECT_TRUE(messages_of<Request>(helpful).empty()) << "timed out too early";
  runtime_.advance(std::chrono::seconds(3));
  EXPECT_EQ(messages_of<Cancel>(silent).size(), 4u);
  std::vector<Request> retried = messages_of<Request>(helpful);
  ASSERT_EQ(retried.size(), 4u);
  for (const Request& request : retried) {
    ByteView block =
        ByteView(original_).subspan(request.piece.value * kBlockSize + request.begin, request.length);
    send(helpful, Piece{request.piece, request.begin, block});
  }
  EXPECT_TRUE(peer_->complete());
  EXPECT_EQ(peer_->status()["requests_timed_out"], 4);
}

}  // namespace
}  // namespace p2p::bittorrent
