// The supernode role on a FakeRuntime: children taken up to the quota and refused past it, their files
// indexed and searched, searches forwarded round by round, and bad input refused.
#include "kazaa/supernode.h"

#include <gtest/gtest.h>

#include "common/content/content_bytes.h"
#include "tests/kazaa/node_harness.h"

namespace p2p::kazaa {
namespace {

using testing::NodeHarness;
using testing::supernode_at;

NodeConfig super_config(std::size_t max_children = 150, std::vector<SupernodeEntry> neighbours = {}) {
  NodeConfig config;
  config.role = Role::Super;
  config.super.max_children = max_children;
  config.super.bootstrap = std::move(neighbours);
  return config;
}

Login child_login(std::uint16_t port) {
  return Login{"child" + std::to_string(port), port, 1000, 0, true, false};
}

ShareFile share_of(const content::FileEntry& file) {
  return ShareFile{file.name, file.size, content::file_sha1(file), {}};
}

class SupernodeTest : public ::testing::Test {
 protected:
  explicit SupernodeTest(NodeConfig config = super_config()) : h(std::move(config)) {}

  // A child at 127.0.0.<n> logs in and is accepted.
  ConnId attach_child(int n, std::uint16_t port = 6346) {
    ConnId conn = h.rt.accept(h.node(), {"127.0.0." + std::to_string(n), 0});
    h.feed(conn, child_login(port));
    EXPECT_EQ(h.take_of<AttachAccept>(conn).size(), 1u);
    return conn;
  }

  NodeHarness h;
};

TEST_F(SupernodeTest, AnswersAProbePingWithItsLoad) {
  ConnId probe = h.rt.accept(h.node());
  h.feed(probe, Ping{42});
  auto pongs = h.take_of<Pong>(probe);
  ASSERT_EQ(pongs.size(), 1u);
  EXPECT_EQ(pongs[0].nonce, 42u);
  EXPECT_EQ(pongs[0].load_percent, 0);
}

TEST_F(SupernodeTest, ASharedFileIsFoundByItsWordsAndNamesItsOwnersHttpAddress) {
  ConnId child = attach_child(5, 6400);
  const content::FileEntry& file = h.node().files().catalogue().file(3);
  h.feed(child, share_of(file));
  EXPECT_EQ(h.node().supernode()->index().files(), 1u);

  h.feed(child, Query{7, file.keywords[0] + " " + file.keywords[1], kMaxResults});
  auto sent = h.take(child);
  ASSERT_EQ(sent.size(), 2u);
  const auto& reply = std::get<QueryReply>(sent[0]);
  EXPECT_EQ(reply.query_id, 7);
  ASSERT_EQ(reply.results.size(), 1u);
  EXPECT_EQ(reply.results[0].owner, (Endpoint{"127.0.0.5", 6400}));
  EXPECT_EQ(reply.results[0].name, file.name);
  EXPECT_EQ(reply.results[0].hash, content::file_sha1(file));
  EXPECT_EQ(std::get<SearchEnd>(sent[1]).query_id, 7);

  auto done = h.events("search_done");
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0]["id"], "127.0.0.5:6400/7");
  EXPECT_EQ(done[0]["local"], 1);
  EXPECT_EQ(done[0]["messages"], 3);  // the Query, one QueryReply, the SearchEnd

  h.feed(child, Unshare{content::file_sha1(file)});
  EXPECT_EQ(h.node().supernode()->index().files(), 0u);
}

TEST_F(SupernodeTest, AChildThatLeavesTakesItsFilesAlong) {
  ConnId child = attach_child(5);
  h.feed(child, share_of(h.node().files().catalogue().file(1)));
  h.node().on_closed(child, "connection reset");
  EXPECT_EQ(h.node().supernode()->index().files(), 0u);
  auto left = h.events("child_left");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0]["children"], 0);
}

TEST_F(SupernodeTest, ASilentChildIsDroppedAfterTheHeartbeatTimeout) {
  ConnId quiet = attach_child(5);
  ConnId chatty = attach_child(6);
  for (int i = 0; i < 4; ++i) {
    h.rt.advance(seconds(2));
    h.feed(chatty, Ping{1});
  }
  EXPECT_EQ(h.rt.closed.at(quiet), "heartbeat lost");
  EXPECT_TRUE(h.open(chatty));
  EXPECT_EQ(h.node().supernode()->children(), 1u);
}

TEST_F(SupernodeTest, RefusesUndecodableFramesAndCountsThem) {
  ConnId child = attach_child(5);
  h.node().on_frame(child, Bytes{0x99, 0, 0, 0, 0});
  h.rt.pump();
  EXPECT_NE(h.rt.closed.at(child).find("bad frame"), std::string::npos);
  EXPECT_EQ(h.node().rejected(), 1u);
  auto rejected = h.events("rejected");
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0]["kind"], "bad_frame");
  EXPECT_EQ(h.node().supernode()->children(), 0u);
}

TEST_F(SupernodeTest, RefusesAMessageThatHasNoPlaceOnTheSession) {
  ConnId stranger = h.rt.accept(h.node());
  h.feed(stranger, Query{1, "blue", kMaxResults});  // no login first
  EXPECT_NE(h.rt.closed.at(stranger).find("expected a login"), std::string::npos);
  ConnId child = attach_child(5);
  h.feed(child, SearchEnd{1});  // a supernode's message, from a child
  EXPECT_NE(h.rt.closed.at(child).find("unexpected SearchEnd"), std::string::npos);
  EXPECT_EQ(h.node().rejected(), 2u);
}

class FullSupernodeTest : public SupernodeTest {
 protected:
  FullSupernodeTest()
      : SupernodeTest(super_config(2, {{supernode_at(2), 10, 0}, {supernode_at(3), 20, 0}})) {}
};

TEST_F(FullSupernodeTest, RefusesPastMaxChildrenNamingOtherSupernodes) {
  attach_child(5);
  attach_child(6);
  ConnId third = h.rt.accept(h.node(), {"127.0.0.7", 0});
  h.feed(third, child_login(6346));
  auto refusals = h.take_of<AttachRefuse>(third);
  ASSERT_EQ(refusals.size(), 1u);
  std::vector<Endpoint> named;
  for (const SupernodeEntry& entry : refusals[0].alternatives) named.push_back(entry.address);
  EXPECT_EQ(named, (std::vector<Endpoint>{supernode_at(2), supernode_at(3)}));
  EXPECT_EQ(h.rt.closed.at(third), "children full");
  EXPECT_EQ(h.node().supernode()->children(), 2u);
  EXPECT_EQ(h.node().supernode()->load_percent(), 100);
}

// Supernodes 0 and 1 dial each other at once: two links to one neighbour. That is one neighbour toward
// --sn-neighbours 2, so the supernode still links to a second one from the lists it hears.
TEST(SupernodeLinksTest, TwoLinksToOneSupernodeCountOnceTowardTheTarget) {
  NodeConfig config = super_config(150, {{supernode_at(1), 0, 0}});
  config.super.sn_neighbours = 2;
  NodeHarness h(config);
  ConnId out = h.last_dial_to(supernode_at(1));
  ASSERT_NE(out, ConnId{});
  h.node().on_connected(out, false, supernode_at(1));
  ConnId in = h.rt.accept(h.node(), {supernode_at(1).host, 0});
  h.feed(in, Login{"super1", supernode_at(1).port, 1000, 0, true, true});
  h.feed(out, SupernodeList{{{supernode_at(1), 0, 0}, {supernode_at(2), 0, 0}}});

  h.rt.advance(seconds(2));
  EXPECT_NE(h.last_dial_to(supernode_at(2)), ConnId{}) << "stopped one distinct neighbour short";
}

// Eight neighbours, three asked a round (--indirect 3), enough at 50 matches: nobody has that many, so every
// neighbour is asked, each once, in rounds of 3, 3 and 2.
class ForwardingTest : public SupernodeTest {
 protected:
  ForwardingTest() : SupernodeTest(config()) {}
  static NodeConfig config() {
    std::vector<SupernodeEntry> neighbours;
    for (int i = 1; i <= 8; ++i) neighbours.push_back({supernode_at(i), 0, 0});
    NodeConfig config = super_config(150, neighbours);
    config.super.query.indirect = 3;
    return config;
  }
  void SetUp() override {
    for (int i = 1; i <= 8; ++i) {
      ConnId conn = h.last_dial_to(supernode_at(i));
      ASSERT_NE(conn, ConnId{});
      h.node().on_connected(conn, false, supernode_at(i));
      auto opening = h.take(conn);
      ASSERT_FALSE(opening.empty());
      EXPECT_TRUE(std::get<Login>(opening[0]).supernode);
      links[i] = conn;
    }
  }
  // The SearchForwards each neighbour got since the last call.
  std::map<int, std::vector<SearchForward>> forwards() {
    std::map<int, std::vector<SearchForward>> got;
    for (const auto& [i, conn] : links) {
      auto f = h.take_of<SearchForward>(conn);
      if (!f.empty()) got[i] = f;
    }
    return got;
  }
  QueryResult result_from(int i) {
    const content::FileEntry& file = h.node().files().catalogue().file(0);
    return QueryResult{
        {"127.0.1." + std::to_string(i), 6346}, "u", content::file_sha1(file), file.size, file.name};
  }

  std::map<int, ConnId> links;
};

TEST_F(ForwardingTest, AsksEachNeighbourOnceRoundByRoundUntilNoneIsLeft) {
  ConnId child = attach_child(5);
  h.feed(child, Query{9, "blue river", kMaxResults});
  std::map<int, int> asked;
  std::vector<std::size_t> rounds;
  for (int round = 0; round < 3; ++round) {
    auto got = forwards();
    rounds.push_back(got.size());
    for (const auto& [i, list] : got) {
      asked[i] += static_cast<int>(list.size());
      EXPECT_EQ(list[0].words, "blue river");
      EXPECT_EQ(list[0].origin, h.rt.local_endpoint());
      // Each answers at once with one match: its round completes and the next starts.
      h.feed(links[i], QueryReply{list[0].query_id, supernode_at(i), {result_from(i)}});
    }
  }
  EXPECT_EQ(rounds, (std::vector<std::size_t>{3, 3, 2}));
  EXPECT_EQ(asked.size(), 8u);
  for (const auto& [i, times] : asked) EXPECT_EQ(times, 1) << "neighbour " << i;

  auto sent = h.take(child);
  ASSERT_EQ(sent.size(), 9u);  // one QueryReply per answering supernode, then the SearchEnd
  EXPECT_EQ(std::get<QueryReply>(sent[0]).query_id, 9);
  EXPECT_EQ(std::get<SearchEnd>(sent.back()).query_id, 9);
  auto done = h.events("search_done");
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0]["rounds"], 3);
  EXPECT_EQ(done[0]["supernodes_contacted"], 8);
  EXPECT_EQ(done[0]["matches"], 8);
  // 1 Query + 8 SearchForward + 8 replies back + 8 QueryReply to the child + 1 SearchEnd.
  EXPECT_EQ(done[0]["messages"], 26);
}

TEST_F(ForwardingTest, ARoundWithoutAnswerEndsAtItsTimeout) {
  ConnId child = attach_child(5);
  h.feed(child, Query{9, "blue river", kMaxResults});
  EXPECT_EQ(forwards().size(), 3u);
  h.rt.advance(seconds(2));
  EXPECT_EQ(forwards().size(), 3u);
  h.rt.advance(seconds(2));
  EXPECT_EQ(forwards().size(), 2u);
  h.rt.advance(seconds(2));
  auto ends = h.take_of<SearchEnd>(child);
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(h.events("search_done")[0]["rounds"], 3);
}

TEST_F(ForwardingTest, AnswersAForwardedSearchFromItsOwnIndexAndNeverForwardsIt) {
  ConnId child = attach_child(5);
  const content::FileEntry& file = h.node().files().catalogue().file(4);
  h.feed(child, share_of(file));
  h.feed(links[1], SearchForward{77, supernode_at(1), file.keywords[0], kMaxResults});
  auto replies = h.take_of<QueryReply>(links[1]);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].query_id, 77);
  EXPECT_EQ(replies[0].supernode, h.rt.local_endpoint());
  EXPECT_FALSE(replies[0].results.empty());
  EXPECT_TRUE(forwards().empty());
  EXPECT_TRUE(h.events("search_done").empty());
}

TEST_F(ForwardingTest, ANeighbourThatIsNoLongerASupernodeIsDroppedWithoutBlame) {
  h.feed(links[3], AttachRefuse{{{supernode_at(9), 0, 0}}});
  EXPECT_EQ(h.rt.closed.at(links[3]), "not a supernode");
  EXPECT_EQ(h.node().rejected(), 0u);
  EXPECT_EQ(h.node().supernode()->neighbours().size(), 7u);
  // The supernode it named is dialled to make up the eighth link.
  h.rt.advance(seconds(1));
  EXPECT_FALSE(h.dials_to(supernode_at(9)).empty());
}

}  // namespace
}  // namespace p2p::kazaa
