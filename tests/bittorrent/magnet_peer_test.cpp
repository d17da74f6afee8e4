// MagnetPeer on a FakeRuntime: the metadata fetched over ut_metadata (BEP 9) from two peers, one of which
// lies, then the hand-over to a Peer of the torrent.
#include "bittorrent/magnet_peer.h"

#include <gtest/gtest.h>

#include "bittorrent/extension/extension_handshake.h"
#include "bittorrent/extension/ut_metadata.h"
#include "bittorrent/extension_wire.h"
#include "bittorrent/memory_storage.h"
#include "bittorrent/synthetic_content.h"
#include "tests/support/fake_runtime.h"

namespace p2p::bittorrent {
namespace {

using p2p::testing::FakeRuntime;

constexpr std::uint8_t kTheirUtMetadata = 3;

class MagnetPeerTest : public ::testing::Test {
 protected:
  MagnetPeerTest() {
    SyntheticContent content;
    content.size = std::int64_t{1000} * kBlockSize;  // 1000 piece hashes: two metadata pieces
    content.piece_length = kBlockSize;
    content.announce = "http://127.0.0.1:1/announce";
    torrent_ = *make_synthetic_torrent(content);
    metainfo_ = *parse_metainfo(torrent_);
  }

  // A magnet peer whose link names the two peers `honest` and `liar` (x.pe) and the torrent's tracker.
  void start(std::size_t requests_per_source) {
    MagnetPeerConfig config;
    config.link.info_hash = metainfo_.info_hash;
    config.link.trackers = {metainfo_.announce};
    config.link.peers = {honest_, liar_};
    config.fetch.requests_per_source = requests_per_source;
    config.open = [this](ByteView torrent, PeerConfig& peer) -> Status {
      auto parsed = parse_metainfo(torrent);
      if (!parsed) return parsed.error();
      peer.metainfo = std::make_shared<const Metainfo>(std::move(parsed).value());
      peer.storage = std::make_shared<MemoryStorage>(peer.metainfo->layout());
      opened_ = true;
      return Ok{};
    };
    magnet_ = std::make_unique<MagnetPeer>(runtime_, config);
    runtime_.attach(*magnet_);
    magnet_->on_start();
  }

  // The connection the magnet peer dialled to `endpoint`, now up and through both handshakes.
  ConnId answer(const Endpoint& endpoint, char id) {
    ConnId conn{};
    for (const auto& [dialled, to] : runtime_.dialled) {
      if (to == endpoint) conn = dialled;
    }
    magnet_->on_connected(conn, false, endpoint);
    PeerId remote{};
    remote.fill(static_cast<std::uint8_t>(id));
    magnet_->on_frame(conn, encode_handshake(our_handshake(metainfo_.info_hash, remote)));
    extension::ExtensionHandshake theirs;
    theirs.m = {{std::string(extension::kUtMetadata), kTheirUtMetadata}};
    theirs.metadata_size = metainfo_.info.size();
    magnet_->on_frame(
        conn, extended_message(extension::kHandshakeId, extension::encode_extension_handshake(theirs)));
    return conn;
  }

  // Answers every metadata request sent on `conn` since last asked, with a corrupt piece if `lie`.
  std::size_t serve(ConnId conn, bool lie) {
    std::size_t served = 0;
    for (const Bytes& bytes : runtime_.take_sent(conn)) {
      auto message = decode_message(bytes);
      if (!message || !std::holds_alternative<Extended>(*message)) continue;
      auto request = extension::decode_metadata_message(std::get<Extended>(*message).payload);
      if (!request || !std::holds_alternative<extension::MetadataRequest>(*request)) continue;
      auto answer =
          extension::answer_metadata_request(std::get<extension::MetadataRequest>(*request), metainfo_.info);
      auto data = std::get<extension::MetadataData>(answer);
      Bytes piece(data.data.begin(), data.data.end());
      if (lie) piece[0] ^= 0xff;
      data.data = piece;
      magnet_->on_frame(conn, extended_message(kOurUtMetadataId, extension::encode_metadata_message(data)));
      ++served;
    }
    return served;
  }

  FakeRuntime runtime_;
  Bytes torrent_;
  Metainfo metainfo_;
  Endpoint honest_{"127.0.0.2", 6881}, liar_{"127.0.0.3", 6881};
  std::unique_ptr<MagnetPeer> magnet_;
  bool opened_ = false;
};

TEST_F(MagnetPeerTest, CompletesTheMetadataFromTwoPeersOneOfWhichSendsACorruptPiece) {
  start(1);  // one piece asked of each at a time: both send one in the first round
  ConnId honest = answer(honest_, 'h');
  ConnId liar = answer(liar_, 'l');
  PieceSet all = PieceSet::full(metainfo_.piece_count());
  magnet_->on_frame(honest, encode_message(Bitfield{all.bitfield()}));  // kept for the Peer
  for (int round = 0; round < 10 && magnet_->peer() == nullptr; ++round) {
    serve(honest, false);
    serve(liar, true);
    runtime_.advance(Duration{0});
  }
  ASSERT_NE(magnet_->peer(), nullptr) << magnet_->status().dump();
  EXPECT_TRUE(opened_);
  EXPECT_EQ(magnet_->peer()->config().metainfo->info_hash, metainfo_.info_hash);
  EXPECT_GE(magnet_->status()["metadata_corrupt_rounds"], 1);
  EXPECT_TRUE(std::ranges::any_of(runtime_.events, [](const auto& e) { return e.name == "metadata_done"; }));

  // The Peer of the torrent keeps the connection to the honest peer, reads the bitfield it sent meanwhile
  // (and so is interested), and sends its extension handshake again, now with the metadata's size.
  EXPECT_FALSE(runtime_.closed.contains(honest));
  ASSERT_TRUE(magnet_->peer()->connections().contains(honest));
  EXPECT_TRUE(magnet_->peer()->connections().at(honest).pieces.all());
  bool resent = false, interested = false;
  for (const Bytes& bytes : runtime_.take_sent(honest)) {
    auto message = decode_message(bytes);
    interested = interested || (message && std::holds_alternative<Interested>(*message));
    if (!message || !std::holds_alternative<Extended>(*message)) continue;
    const auto& extended = std::get<Extended>(*message);
    if (extended.extended_id != extension::kHandshakeId) continue;
    resent = extension::decode_extension_handshake(extended.payload)->metadata_size == metainfo_.info.size();
  }
  EXPECT_TRUE(resent);
  EXPECT_TRUE(interested);
  EXPECT_TRUE(magnet_->status().contains("have"));
}

TEST_F(MagnetPeerTest, ASoleSourceOfCorruptMetadataIsClosedAndCounted) {
  start(4);
  ConnId liar = answer(liar_, 'l');
  EXPECT_EQ(serve(liar, true), 2u);
  runtime_.advance(Duration{0});
  EXPECT_EQ(runtime_.closed[liar], "corrupt metadata");
  EXPECT_EQ(magnet_->status()["metadata_corrupt_sources"], 1);
  EXPECT_EQ(magnet_->peer(), nullptr);

  ConnId honest = answer(honest_, 'h');
  EXPECT_EQ(serve(honest, false), 2u);
  runtime_.advance(Duration{0});
  EXPECT_NE(magnet_->peer(), nullptr);
}

TEST_F(MagnetPeerTest, APeerWithoutTheExtensionProtocolIsClosed) {
  start(4);
  ConnId conn = runtime_.dialled.rbegin()->first;
  magnet_->on_connected(conn, false, runtime_.dialled[conn]);
  magnet_->on_frame(conn, encode_handshake(Handshake{{}, metainfo_.info_hash, PeerId{}}));
  EXPECT_EQ(runtime_.closed[conn], "no extension protocol");
}

}  // namespace
}  // namespace p2p::bittorrent
