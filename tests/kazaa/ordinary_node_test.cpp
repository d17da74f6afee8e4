// The ordinary role on a FakeRuntime, with the test playing its supernodes: the join by lowest RTT, refusals,
// the upload of its files, searches, and the re-attach after a lost heartbeat.
#include "kazaa/ordinary_node.h"

#include <gtest/gtest.h>

#include "tests/kazaa/node_harness.h"

namespace p2p::kazaa {
namespace {

using testing::NodeHarness;
using testing::supernode_at;

NodeConfig ordinary_config(std::vector<std::size_t> shared = {1, 2, 3}) {
  NodeConfig config;
  config.role = Role::Ordinary;
  config.ordinary.bootstrap = {{supernode_at(1), 0, 0}};
  config.shared = std::move(shared);
  return config;
}

std::vector<SupernodeEntry> entries(std::initializer_list<int> ids) {
  std::vector<SupernodeEntry> list;
  for (int i : ids) list.push_back({supernode_at(i), 0, 0});
  return list;
}

class OrdinaryNodeTest : public ::testing::Test {
 protected:
  OrdinaryNodeTest() : h(ordinary_config()) {}

  // The bootstrap supernode at `from` answers the newcomer's login with `list`; returns that session.
  ConnId answer_list(int from, const std::vector<SupernodeEntry>& list) {
    ConnId conn = h.last_dial_to(supernode_at(from));
    EXPECT_NE(conn, ConnId{});
    h.node().on_connected(conn, false, supernode_at(from));
    EXPECT_EQ(h.take_of<Login>(conn).size(), 1u);
    h.feed(conn, AttachAccept{list});
    EXPECT_FALSE(h.open(conn));
    return conn;
  }
  // The probes dialled after connection `after` come up; returns each one's ping nonce, by address.
  std::map<Endpoint, std::uint32_t> probes_up(ConnId after) {
    std::map<Endpoint, std::uint32_t> nonces;
    for (const auto& [conn, remote] : h.rt.dialled) {
      if (conn.value <= after.value) continue;
      h.node().on_connected(conn, false, remote);
      auto pings = h.take_of<Ping>(conn);
      EXPECT_EQ(pings.size(), 1u);
      if (!pings.empty()) nonces[remote] = pings[0].nonce;
    }
    return nonces;
  }
  void pong(const Endpoint& to, std::uint32_t nonce) { h.feed(h.last_dial_to(to), Pong{nonce, 10}); }
  // Logins sent to `to` on its newest connection.
  std::size_t logins_to(const Endpoint& to) { return h.take_of<Login>(h.last_dial_to(to)).size(); }

  // A join that ends at supernode `to`: `from` hands out `list`, `to` answers its ping first, accepts.
  ConnId join(int from, int to, const std::vector<SupernodeEntry>& list) {
    auto nonces = probes_up(answer_list(from, list));
    pong(supernode_at(to), nonces.at(supernode_at(to)));
    h.rt.advance(milliseconds(1));
    for (const auto& [address, nonce] : nonces)
      if (address != supernode_at(to)) pong(address, nonce);
    EXPECT_EQ(logins_to(supernode_at(to)), 1u);
    ConnId conn = h.last_dial_to(supernode_at(to));
    h.feed(conn, AttachAccept{list});
    return conn;
  }

  NodeHarness h;
};

TEST_F(OrdinaryNodeTest, PingsFiveAndAttachesToTheLowestRtt) {
  ConnId list_session = answer_list(1, entries({2, 3, 4, 5, 6, 7}));
  auto nonces = probes_up(list_session);
  ASSERT_EQ(nonces.size(), 5u);  // AttachPolicy's handful
  // The fourth probed answers after 10 ms, the others after 30 ms.
  Endpoint fastest = std::next(nonces.begin(), 3)->first;
  h.rt.advance(milliseconds(10));
  pong(fastest, nonces[fastest]);
  h.rt.advance(milliseconds(20));
  for (const auto& [address, nonce] : nonces)
    if (address != fastest) pong(address, nonce);

  EXPECT_EQ(logins_to(fastest), 1u);
  for (const auto& [address, nonce] : nonces) {
    if (address == fastest) continue;
    EXPECT_FALSE(h.open(h.last_dial_to(address))) << "the probe to " << address.str() << " is closed";
  }

  ConnId session = h.last_dial_to(fastest);
  h.feed(session, AttachAccept{});
  EXPECT_EQ(h.node().ordinary()->supernode(), fastest);
  auto attached = h.events("attached");
  ASSERT_EQ(attached.size(), 1u);
  EXPECT_EQ(attached[0]["supernode"], fastest.str());
  EXPECT_DOUBLE_EQ(attached[0]["rtt_ms"].get<double>(), 10.0);
  EXPECT_EQ(attached[0]["probes"], 5);
  EXPECT_EQ(attached[0]["reattach"], false);
  // Its files' metadata goes up right after the accept.
  auto shares = h.take_of<ShareFile>(session);
  EXPECT_EQ(shares.size(), 3u);
}

TEST_F(OrdinaryNodeTest, MovesOnToTheNextBestWhenAFullSupernodeRefuses) {
  auto nonces = probes_up(answer_list(1, entries({2, 3})));
  ASSERT_EQ(nonces.size(), 3u);  // the bootstrap supernode is a candidate too
  h.rt.advance(milliseconds(5));
  pong(supernode_at(2), nonces[supernode_at(2)]);
  h.rt.advance(milliseconds(5));
  pong(supernode_at(3), nonces[supernode_at(3)]);
  h.rt.advance(milliseconds(5));
  pong(supernode_at(1), nonces[supernode_at(1)]);
  ASSERT_EQ(logins_to(supernode_at(2)), 1u);
  h.feed(h.last_dial_to(supernode_at(2)), AttachRefuse{entries({3})});
  // The second best is dialled again (its probe was closed) and asked.
  ConnId retry = h.last_dial_to(supernode_at(3));
  h.node().on_connected(retry, false, supernode_at(3));
  EXPECT_EQ(h.take_of<Login>(retry).size(), 1u);
  h.feed(retry, AttachAccept{});
  EXPECT_EQ(h.node().ordinary()->supernode(), supernode_at(3));
}

TEST_F(OrdinaryNodeTest, SearchesThroughItsSupernodeUntilTheSearchEnd) {
  ConnId session = join(1, 2, entries({2}));
  h.take(session);
  auto id = h.node().ordinary()->query("blue river");
  ASSERT_TRUE(id);
  auto queries = h.take_of<Query>(session);
  ASSERT_EQ(queries.size(), 1u);
  EXPECT_EQ(*id, h.rt.local_endpoint().str() + "/" + std::to_string(queries[0].query_id));
  const content::FileEntry& file = h.node().files().catalogue().file(9);
  QueryResult result{{"127.0.0.8", 6346}, "bob", {}, file.size, file.name};
  h.feed(session, QueryReply{queries[0].query_id, supernode_at(2), {result, result}});
  h.rt.advance(milliseconds(40));
  h.feed(session, SearchEnd{queries[0].query_id});
  auto done = h.events("query_done");
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0]["id"], *id);
  EXPECT_EQ(done[0]["results"], 2);
  EXPECT_EQ(done[0]["ok"], true);
  EXPECT_DOUBLE_EQ(done[0]["latency_ms"].get<double>(), 40.0);
}

TEST_F(OrdinaryNodeTest, ASearchWithoutEndIsGivenUp) {
  ConnId session = join(1, 2, entries({2}));
  ASSERT_TRUE(h.node().ordinary()->query("blue"));
  for (int i = 0; i < 8; ++i) {  // the supernode keeps answering heartbeats, never the search
    h.rt.advance(seconds(2));
    h.feed(session, Pong{0, 0});
  }
  auto done = h.events("query_done");
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0]["ok"], false);
}

TEST_F(OrdinaryNodeTest, HeartbeatLossReattachesElsewhereAndUploadsAgain) {
  ConnId first = join(1, 2, entries({2, 3}));
  EXPECT_EQ(h.take_of<ShareFile>(first).size(), 3u);

  // Supernode 2 goes silent: its heartbeats stop being answered. The loss is seen at the first heartbeat
  // past the timeout (6 s): at 8 s.
  h.rt.advance(seconds(7));
  EXPECT_TRUE(h.events("detached").empty());
  h.rt.advance(seconds(1));
  auto detached = h.events("detached");
  ASSERT_EQ(detached.size(), 1u);
  EXPECT_EQ(detached[0]["reason"], "heartbeat lost");
  EXPECT_FALSE(h.open(first));
  EXPECT_TRUE(h.node().ordinary()->policy().list().is_dead(supernode_at(2)));

  // A fresh join: a live supernode it knows gives a list, and the files go up again where it attaches.
  ConnId list_session = h.rt.dialled.rbegin()->first;
  int asked = h.rt.dialled.rbegin()->second == supernode_at(1) ? 1 : 3;
  ASSERT_EQ(h.last_dial_to(supernode_at(asked)), list_session);
  ConnId second = join(asked, 3, entries({3}));
  EXPECT_EQ(h.take_of<ShareFile>(second).size(), 3u);
  auto attached = h.events("attached");
  ASSERT_EQ(attached.size(), 2u);
  EXPECT_EQ(attached[1]["reattach"], true);
  EXPECT_EQ(attached[1]["supernode"], supernode_at(3).str());
}

TEST_F(OrdinaryNodeTest, AHandoffMakesItJoinOneOfTheNamedSupernodes) {
  ConnId session = join(1, 2, entries({2}));
  h.feed(session, Handoff{entries({4})});
  EXPECT_EQ(h.events("detached").at(0)["reason"], "handoff");
  EXPECT_FALSE(h.dials_to(supernode_at(4)).empty());
}

TEST_F(OrdinaryNodeTest, RefusesAFrameThatDoesNotDecode) {
  ConnId session = join(1, 2, entries({2}));
  h.node().on_frame(session, Bytes{0x07, 0, 0, 0, 1, 0});
  h.rt.pump();
  EXPECT_EQ(h.node().rejected(), 1u);
  EXPECT_EQ(h.events("detached").size(), 1u);
  EXPECT_FALSE(h.node().ordinary()->supernode());
}

}  // namespace
}  // namespace p2p::kazaa
