// The Peer's extension protocol on a FakeRuntime: the BEP 10 handshake exchange, peer exchange (BEP 11) out
// and in, and metadata served in pieces (BEP 9).
#include <gtest/gtest.h>

#include "bittorrent/extension/extension_handshake.h"
#include "bittorrent/extension/ut_metadata.h"
#include "bittorrent/extension/ut_pex.h"
#include "bittorrent/extension_wire.h"
#include "tests/bittorrent/peer_fixture.h"

namespace p2p::bittorrent {
namespace {

using extension::ExtensionHandshake;
using extension::PexMessage;

class PeerExtensionsTest : public PeerTest {
 protected:
  // The remote's extension handshake: ut_pex under 7 and ut_metadata under 8, and its listen port.
  void say_extensions(ConnId conn, std::uint16_t port) {
    ExtensionHandshake theirs;
    theirs.m = {{std::string(extension::kUtPex), 7}, {std::string(extension::kUtMetadata), 8}};
    theirs.p = port;
    send(conn, Extended{extension::kHandshakeId, extension::encode_extension_handshake(theirs)});
  }
  // An inbound remote from 127.0.0.N that speaks both extensions and listens on `port`.
  ConnId remote(std::uint8_t n, std::uint16_t port) {
    ConnId conn =
        connect(std::nullopt, static_cast<char>('A' + n), true, {"127.0.0." + std::to_string(n), 0});
    say_extensions(conn, port);
    return conn;
  }
  // The ut_pex messages the peer sent on `conn` since last asked.
  std::vector<PexMessage> pex_sent(ConnId conn) {
    std::vector<PexMessage> out;
    for (const auto& [id, payload] : extended(conn)) {
      if (id == 7) out.push_back(*extension::decode_pex(payload));
    }
    return out;
  }
  // The peers dialled so far (the tracker, on port 1, left out).
  std::set<Endpoint> dialled() const {
    std::set<Endpoint> out;
    for (const auto& [id, endpoint] : runtime_.dialled) {
      if (endpoint.port != 1) out.insert(endpoint);
    }
    return out;
  }
  void send_pex(ConnId conn, const std::vector<Endpoint>& added) {
    PexMessage message;
    for (const Endpoint& endpoint : added) message.added.push_back({endpoint, 0});
    send(conn, Extended{kOurUtPexId, extension::encode_pex(message)});
  }
};

TEST_F(PeerExtensionsTest, BothSidesWithTheBitExchangeExtensionHandshakes) {
  start(true);
  ConnId conn = connect(std::nullopt, 'r', true);
  auto sent = runtime_.take_sent(conn);
  ASSERT_FALSE(sent.empty());
  EXPECT_TRUE(supports_extension_protocol(*decode_handshake(sent[0])));
  runtime_.sent[conn] = {sent.begin() + 1, sent.end()};
  auto messages = extended(conn);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].first, extension::kHandshakeId);
  auto ours = extension::decode_extension_handshake(messages[0].second);
  ASSERT_TRUE(ours) << ours.reason();
  EXPECT_EQ(ours->id_of(extension::kUtPex), kOurUtPexId);
  EXPECT_EQ(ours->id_of(extension::kUtMetadata), kOurUtMetadataId);
  EXPECT_EQ(ours->metadata_size, metainfo_->info.size());
  EXPECT_EQ(ours->p, 7000);
  EXPECT_TRUE(ours->v && ours->v->starts_with("p2plab"));
  EXPECT_TRUE(ours->reqq.has_value());

  say_extensions(conn, 6881);
  ASSERT_NE(peer_->extensions().remote(conn), nullptr);
  EXPECT_EQ(peer_->extensions().remote(conn)->id_of(extension::kUtPex), 7);

  // A peer without the bit is sent no extended message.
  ConnId plain = connect(std::nullopt, 'p');
  EXPECT_TRUE(extended(plain).empty());
}

TEST_F(PeerExtensionsTest, UnknownExtendedIdsAreCountedAndMalformedOnesClose) {
  start(true);
  ConnId conn = remote(1, 6881);
  send(conn, Extended{42, as_bytes("whatever")});
  EXPECT_EQ(closed(conn), "");
  EXPECT_EQ(peer_->status()["extended_unknown"], 1);

  send(conn, Extended{kOurUtPexId, as_bytes("not bencode")});
  EXPECT_TRUE(closed(conn).starts_with("malformed ut_pex")) << closed(conn);
  ConnId handshake = connect(std::nullopt, 'h', true);
  send(handshake, Extended{extension::kHandshakeId, as_bytes("li1ee")});
  EXPECT_TRUE(closed(handshake).starts_with("malformed extension handshake")) << closed(handshake);
  ConnId metadata = remote(3, 6883);
  send(metadata, Extended{kOurUtMetadataId, as_bytes("d8:msg_typei0ee")});
  EXPECT_TRUE(closed(metadata).starts_with("malformed ut_metadata")) << closed(metadata);
}

TEST_F(PeerExtensionsTest, PexGoesAtMostOnceAMinuteWithAtMostFiftyPeers) {
  config_.max_peers = 100;
  start(true);
  ConnId listener = remote(1, 6881);
  for (std::uint8_t n = 2; n < 62; ++n) remote(n, 6881);  // 60 neighbours
  runtime_.advance(std::chrono::seconds(1));
  auto first = pex_sent(listener);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].added.size(), extension::kMaxPexPeers);
  for (const auto& peer : first[0].added) EXPECT_NE(peer.endpoint, (Endpoint{"127.0.0.1", 6881}));

  runtime_.advance(std::chrono::seconds(58));  // under a minute since the first
  EXPECT_TRUE(pex_sent(listener).empty());
  runtime_.advance(std::chrono::seconds(2));
  auto second = pex_sent(listener);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].added.size(), 10u);  // the rest
}

TEST_F(PeerExtensionsTest, PeersLearnedFromPexAreDialledAndCounted) {
  config_.yield_for = Duration{0};  // dialled at once, whatever their addresses (DialListTest)
  start(false);
  ConnId conn = remote(1, 6881);
  send_pex(conn, {{"127.0.0.5", 6000}, {"127.0.0.6", 6000}});
  EXPECT_EQ(dialled(), (std::set<Endpoint>{{"127.0.0.5", 6000}, {"127.0.0.6", 6000}}));
  EXPECT_EQ(peer_->status()["peers_via_pex"], 2);

  // A second message within half a minute is dropped: a flood of ut_pex cannot make us dial thousands.
  send_pex(conn, {{"127.0.0.7", 6000}});
  EXPECT_EQ(dialled().size(), 2u);
  EXPECT_EQ(peer_->status()["pex_dropped"], 1);
  runtime_.advance(std::chrono::seconds(30));
  send_pex(conn, {{"127.0.0.7", 6000}});
  EXPECT_EQ(peer_->status()["peers_via_pex"], 3);
}

TEST_F(PeerExtensionsTest, WithPexOffNothingIsOfferedSentOrLearned) {
  config_.pex = false;
  start(false);
  ConnId conn = connect(std::nullopt, 'r', true);
  auto ours = extended(conn);
  ASSERT_EQ(ours.size(), 1u);
  EXPECT_FALSE(extension::decode_extension_handshake(ours[0].second)->id_of(extension::kUtPex));
  say_extensions(conn, 6881);
  remote(2, 6882);
  send_pex(conn, {{"127.0.0.5", 6000}});
  EXPECT_TRUE(dialled().empty());
  EXPECT_EQ(peer_->status()["peers_via_pex"], 0);
  EXPECT_EQ(peer_->status()["extended_unknown"], 1);
  runtime_.advance(std::chrono::seconds(61));
  EXPECT_TRUE(pex_sent(conn).empty());
}

TEST_F(PeerExtensionsTest, ServesTheMetadataIn16KiBPiecesAndRejectsPastTheEnd) {
  start(false, {}, 1000);  // 20 bytes a piece hash: over 16 KiB of info dictionary, so two pieces
  ASSERT_GT(metainfo_->info.size(), extension::kMetadataPieceSize);
  ConnId conn = remote(1, 6881);
  extended(conn);
  Bytes joined;
  for (std::uint32_t piece : {0u, 1u, 2u}) {
    send(conn,
         Extended{kOurUtMetadataId, extension::encode_metadata_message(extension::MetadataRequest{piece})});
  }
  auto answers = extended(conn);
  ASSERT_EQ(answers.size(), 3u);
  for (std::uint32_t piece : {0u, 1u}) {
    EXPECT_EQ(answers[piece].first, 8);
    auto data = extension::decode_metadata_message(answers[piece].second);
    ASSERT_TRUE(data && std::holds_alternative<extension::MetadataData>(*data));
    const auto& got = std::get<extension::MetadataData>(*data);
    EXPECT_EQ(got.piece, piece);
    EXPECT_EQ(got.total_size, metainfo_->info.size());
    joined.insert(joined.end(), got.data.begin(), got.data.end());
  }
  EXPECT_EQ(joined, metainfo_->info);
  EXPECT_EQ(*extension::decode_metadata_message(answers[2].second),
            extension::MetadataMessage(extension::MetadataReject{2}));
  EXPECT_EQ(peer_->status()["metadata_served"], 2);
  EXPECT_EQ(peer_->status()["metadata_rejected"], 1);
}

}  // namespace
}  // namespace p2p::bittorrent
