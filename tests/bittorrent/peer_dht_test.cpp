// A Peer with --dht (BEP 5) on a FakeRuntime: the handshake's DHT bit and the PORT message both ways, and the
// peers an announce's get_peers lookup finds dialled and counted.
#include <gtest/gtest.h>

#include <algorithm>

#include "bittorrent/dht/krpc.h"
#include "tests/bittorrent/peer_fixture.h"

namespace p2p::bittorrent {
namespace {

const Endpoint kRemote{"127.0.0.9", 0};
const Endpoint kBootstrap{"127.0.0.2", 6881};

dht::NodeId node_id(std::uint8_t fill) {
  dht::NodeId id;
  id.bytes.fill(fill);
  return id;
}

class PeerDhtTest : public PeerTest {
 protected:
  // An inbound connection whose handshake sets BEP 10's bit, and BEP 5's if `dht`.
  ConnId connect_with(bool dht) {
    ConnId conn = runtime_.accept(*peer_, kRemote);
    PeerId remote{};
    remote.fill('r');
    Handshake handshake{{}, metainfo_->info_hash, remote};
    announce_extension_protocol(handshake);
    if (dht) announce_dht(handshake);
    peer_->on_frame(conn, encode_handshake(handshake));
    return conn;
  }

  // The KRPC queries the peer sent since last asked, with where they went.
  std::vector<std::pair<Endpoint, dht::Message>> queries() {
    std::vector<std::pair<Endpoint, dht::Message>> out;
    for (const auto& datagram : runtime_.sent_datagrams) {
      auto message = dht::decode_krpc(datagram.bytes);
      EXPECT_TRUE(message) << message.reason();
      if (message && std::holds_alternative<dht::Query>(message->body))
        out.emplace_back(datagram.remote, *message);
    }
    runtime_.sent_datagrams.clear();
    return out;
  }

  // `query`, sent to `from`, answered with `response`.
  void answer(const Endpoint& from, const dht::Message& query, dht::Response response) {
    runtime_.deliver_datagram(*peer_, from,
                              dht::encode_krpc(dht::Message{query.transaction, response, "LT01"}));
  }

  template <typename Args>
  static bool asks(const dht::Message& message) {
    return std::holds_alternative<Args>(std::get<dht::Query>(message.body).args);
  }
};

TEST_F(PeerDhtTest, PortMessagesGoBothWaysAndTheNamedNodeJoinsTheTable) {
  config_.dht = true;
  start(false);
  EXPECT_TRUE(peer_->uses_datagrams());

  ConnId conn = connect_with(true);
  std::vector<Bytes> handshakes = runtime_.take_sent(conn);
  ASSERT_FALSE(handshakes.empty());
  auto ours = decode_handshake(ByteView(handshakes.front()).first(kHandshakeSize));
  ASSERT_TRUE(ours) << ours.reason();
  EXPECT_TRUE(supports_dht(*ours));
  runtime_.sent[conn] = handshakes;  // read again by messages(), which skips the handshake
  auto ports = messages_of<Port>(conn);
  ASSERT_EQ(ports.size(), 1u);
  EXPECT_EQ(ports[0].port, runtime_.local_endpoint().port);  // one port number for TCP and UDP

  // The remote's PORT: its node is pinged at the connection's address and the port given.
  send(conn, Port{6881});
  auto sent = queries();
  ASSERT_EQ(sent.size(), 1u);
  const Endpoint node{kRemote.host, 6881};
  EXPECT_EQ(sent[0].first, node);
  EXPECT_TRUE(asks<dht::Ping>(sent[0].second));
  EXPECT_EQ(peer_->dht()->node().table().size(), 0u);
  answer(node, sent[0].second, dht::Response{node_id(0x77), {}, {}, {}});
  EXPECT_EQ(peer_->dht()->node().table().size(), 1u);
  EXPECT_EQ(peer_->status()["dht_table_size"], 1);
  EXPECT_EQ(peer_->status()["dht_ports"], 1);

  // A remote without BEP 5's bit is sent no PORT.
  ConnId plain = connect_with(false);
  EXPECT_TRUE(messages_of<Port>(plain).empty());
}

TEST_F(PeerDhtTest, WithTheDhtOffTheBitIsClearAndPortIsIgnored) {
  start(false);
  EXPECT_FALSE(peer_->uses_datagrams());
  ConnId conn = connect_with(true);
  auto ours = decode_handshake(ByteView(runtime_.take_sent(conn).front()).first(kHandshakeSize));
  ASSERT_TRUE(ours) << ours.reason();
  EXPECT_FALSE(supports_dht(*ours));
  send(conn, Port{6881});
  EXPECT_TRUE(runtime_.sent_datagrams.empty());
  EXPECT_EQ(closed(conn), "");
  EXPECT_EQ(peer_->status()["dht_table_size"], 0);
}

TEST_F(PeerDhtTest, PeersFoundThroughTheDhtAreDialledAndCounted) {
  config_.dht = true;
  config_.dht_bootstrap = {kBootstrap};
  config_.yield_for = Duration{0};  // dialled at once, whatever their addresses (DialListTest)
  start(false);

  // Joining: find_node for its own id, to the bootstrap node, which knows no one else.
  auto sent = queries();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].first, kBootstrap);
  EXPECT_TRUE(asks<dht::FindNode>(sent[0].second));
  answer(kBootstrap, sent[0].second, dht::Response{node_id(0x55), std::vector<dht::NodeInfo>{}, {}, {}});

  // Joined: the announce starts with get_peers for the info-hash, answered with two peers and a token.
  sent = queries();
  auto get_peers = std::ranges::find_if(sent, [](const auto& q) { return asks<dht::GetPeers>(q.second); });
  ASSERT_NE(get_peers, sent.end());
  const std::vector<Endpoint> found{{"127.0.0.21", 6881}, {"127.0.0.22", 6882}};
  answer(kBootstrap, get_peers->second, dht::Response{node_id(0x55), {}, found, "token"});

  // Both are dialled, counted as found through the DHT, and the node is told of us with our TCP port.
  for (const Endpoint& peer : found) {
    EXPECT_TRUE(std::ranges::any_of(runtime_.dialled, [&](const auto& d) { return d.second == peer; }))
        << peer.str();
  }
  EXPECT_EQ(peer_->peers_via_dht(), 2u);
  EXPECT_EQ(peer_->status()["peers_via_dht"], 2);
  sent = queries();
  auto announce = std::ranges::find_if(sent, [](const auto& q) { return asks<dht::AnnouncePeer>(q.second); });
  ASSERT_NE(announce, sent.end());
  const auto& args = std::get<dht::AnnouncePeer>(std::get<dht::Query>(announce->second.body).args);
  EXPECT_EQ(args.port, runtime_.local_endpoint().port);
  EXPECT_EQ(args.token, "token");
  EXPECT_TRUE(std::ranges::equal(args.info_hash.bytes, metainfo_->info_hash));

  // 15 minutes on it announces again; the bootstrap node has gone silent meanwhile (its pings unanswered),
  // so with nobody left to ask it joins through it again first.
  runtime_.advance(std::chrono::minutes(15));
  sent = queries();
  auto rejoin = std::ranges::find_if(sent, [](const auto& q) { return asks<dht::FindNode>(q.second); });
  ASSERT_NE(rejoin, sent.end());
  answer(kBootstrap, rejoin->second, dht::Response{node_id(0x55), std::vector<dht::NodeInfo>{}, {}, {}});
  sent = queries();
  EXPECT_TRUE(std::ranges::any_of(sent, [](const auto& q) { return asks<dht::GetPeers>(q.second); }));
}

}  // namespace
}  // namespace p2p::bittorrent
