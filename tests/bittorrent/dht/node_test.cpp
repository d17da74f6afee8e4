// The DHT node on hand-made ids and datagrams: what it answers, what it refuses and counts, how its table
// fills, and lookups, announces and bootstrap over a few nodes wired to each other in memory.
#include "bittorrent/dht/node.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/bittorrent/dht/ids.h"

namespace p2p::bittorrent::dht {
namespace {

using test::id_from_bits;

const Endpoint kHere{"10.0.0.1", 6881};

// One node under test, with every datagram it sends kept, decoded.
class NodeTest : public ::testing::Test {
 protected:
  explicit NodeTest(
      NodeConfig config = NodeConfig{id_from_bits("0"), kBucketSize, kAlpha, {}, {}, {}, "PL01"})
      : node_(config, rng_, now_, [this](const Endpoint& to, Bytes bytes) {
          auto message = decode_krpc(bytes);
          ASSERT_TRUE(message) << message.reason();
          bool is_query = std::holds_alternative<Query>(message->body);
          (is_query ? queries_ : sent_).push_back({to, *message});
        }) {}

  struct Sent {
    Endpoint to;
    Message message;
  };

  void deliver(const Endpoint& from, const Message& message) {
    node_.on_datagram(from, encode_krpc(message), now_);
  }
  void query(const Endpoint& from, const NodeId& id, QueryArgs args, const std::string& t = "aa") {
    deliver(from, Message{t, Query{id, std::move(args)}, ""});
  }
  // The one answer (response or error) the node sent since the last call.
  Sent take_one() { return only(sent_); }
  // The one query the node sent since the last call.
  Sent take_query() { return only(queries_); }
  static Sent only(std::vector<Sent>& sent) {
    EXPECT_EQ(sent.size(), 1u);
    Sent out = sent.empty() ? Sent{} : sent.front();
    sent.clear();
    return out;
  }
  // Answers every ping the node sent as `id` would, and forgets the other queries.
  void answer_pings(const Endpoint& from, const NodeId& id) {
    for (const Sent& asked : std::exchange(queries_, {})) {
      if (asked.to == from) deliver(from, Message{asked.message.transaction, Response{id, {}, {}, {}}, ""});
    }
  }
  static const Response& response_of(const Sent& sent) { return std::get<Response>(sent.message.body); }
  static int error_code(const Sent& sent) {
    const auto* error = std::get_if<ErrorReply>(&sent.message.body);
    return error == nullptr ? 0 : error->code;
  }
  std::uint64_t drops(const std::string& reason) const {
    auto it = node_.counters().drops.find(reason);
    return it == node_.counters().drops.end() ? 0 : it->second;
  }

  Rng rng_{5};
  TimePoint now_{std::chrono::hours(1)};
  Node node_;
  std::vector<Sent> sent_;     // answers
  std::vector<Sent> queries_;  // queries of its own
};

TEST_F(NodeTest, AnswersPingAndFindNodeAndLearnsTheQueriers) {
  Endpoint a{"10.0.0.2", 7000}, b{"10.0.0.3", 7000};
  query(a, id_from_bits("1"), Ping{}, "p1");
  Sent pong = take_one();
  EXPECT_EQ(pong.to, a);
  EXPECT_EQ(pong.message.transaction, "p1");
  EXPECT_EQ(response_of(pong).id, node_.id());
  EXPECT_EQ(pong.message.version, "PL01");

  query(b, id_from_bits("11"), FindNode{id_from_bits("111")});
  Sent found = take_one();
  ASSERT_TRUE(response_of(found).nodes);
  // Both queriers are in the table now, the closer to the target first.
  EXPECT_EQ(*response_of(found).nodes,
            (std::vector<NodeInfo>{{id_from_bits("11"), b}, {id_from_bits("1"), a}}));
  EXPECT_EQ(node_.table().size(), 2u);
  EXPECT_EQ(node_.counters().queries_in, 2u);
}

TEST_F(NodeTest, GetPeersGivesATokenThatAnnouncePeerMustBringBack) {
  Endpoint peer{"10.0.0.2", 7000};
  NodeId torrent = id_from_bits("1010");
  query(peer, id_from_bits("1"), GetPeers{torrent});
  Sent first = take_one();
  ASSERT_TRUE(response_of(first).token);
  EXPECT_FALSE(response_of(first).values);
  EXPECT_TRUE(response_of(first).nodes);  // no peers yet: the closest nodes instead

  // A made-up token is refused with 203 and counted; the real one stores the announced port.
  query(peer, id_from_bits("1"), AnnouncePeer{torrent, 9000, "forged", false});
  EXPECT_EQ(error_code(take_one()), kProtocolError);
  EXPECT_EQ(drops("bad_token"), 1u);
  query(peer, id_from_bits("1"), AnnouncePeer{torrent, 9000, *response_of(first).token, false});
  EXPECT_EQ(error_code(take_one()), 0);

  // Another address's announce with implied_port stores its source port, not the one it names.
  Endpoint other{"10.0.0.3", 7100};
  query(other, id_from_bits("11"), GetPeers{torrent});
  std::string token = *response_of(take_one()).token;
  query(other, id_from_bits("11"), AnnouncePeer{torrent, 1, token, true});
  take_one();

  query(Endpoint{"10.0.0.4", 7000}, id_from_bits("111"), GetPeers{torrent});
  Sent with_peers = take_one();
  ASSERT_TRUE(response_of(with_peers).values);
  std::vector<Endpoint> values = *response_of(with_peers).values;
  std::ranges::sort(values);
  EXPECT_EQ(values, (std::vector<Endpoint>{{"10.0.0.2", 9000}, {"10.0.0.3", 7100}}));
}

TEST_F(NodeTest, RefusesUnknownMethodsAndMalformedQueriesWithTheirCodes) {
  Endpoint from{"10.0.0.2", 7000};
  query(from, id_from_bits("1"), UnknownMethod{"vote"});
  EXPECT_EQ(error_code(take_one()), kMethodUnknown);

  // A query whose target is 3 bytes long: 203 under its transaction id, and nothing learned from it.
  std::string bad = "d1:ad2:id20:abcdefghij01234567896:target3:abce1:q9:find_node1:t2:zz1:y1:qe";
  node_.on_datagram(from, as_bytes(bad), now_);
  Sent refusal = take_one();
  EXPECT_EQ(error_code(refusal), kProtocolError);
  EXPECT_EQ(refusal.message.transaction, "zz");

  // Garbage that is not even a query gets no answer.
  node_.on_datagram(from, as_bytes(std::string("\xff\x00garbage", 9)), now_);
  EXPECT_TRUE(sent_.empty());
  EXPECT_EQ(drops("malformed"), 2u);
  EXPECT_EQ(drops("unknown_method"), 1u);
  EXPECT_EQ(node_.table().size(), 0u);
}

TEST_F(NodeTest, AFloodFromOneAddressIsAnsweredOnlyUpToItsBudget) {
  Endpoint flooder{"10.0.0.2", 7000};
  RateLimiterConfig limit;
  for (int i = 0; i < 1000; ++i) {
    NodeId id = id_from_bits("1");
    id.bytes[19] = static_cast<std::uint8_t>(i);
    query(flooder, id, Ping{});
  }
  EXPECT_EQ(sent_.size(), static_cast<std::size_t>(limit.burst));
  EXPECT_EQ(drops("rate_limited"), 1000u - static_cast<std::size_t>(limit.burst));
  // One address holds one table entry, whatever ids it claims.
  EXPECT_EQ(node_.table().size(), 1u);

  // Another address is not held back, and the flooder gets budget back with time.
  sent_.clear();
  query(Endpoint{"10.0.0.3", 7000}, id_from_bits("11"), Ping{});
  now_ += std::chrono::seconds(1);
  query(flooder, id_from_bits("1"), Ping{});
  EXPECT_EQ(sent_.size(), 2u);
}

TEST_F(NodeTest, AnswersThatDoNotMatchAQueryAreCountedAndIgnored) {
  Endpoint bootstrap{"10.0.0.9", 6881};
  node_.bootstrap({bootstrap}, now_);
  Sent asked = take_query();
  EXPECT_EQ(asked.to, bootstrap);
  EXPECT_TRUE(std::holds_alternative<FindNode>(std::get<Query>(asked.message.body).args));
  const std::string& t = asked.message.transaction;

  Response answer{id_from_bits("1"), std::vector<NodeInfo>{}, {}, {}};
  deliver(bootstrap, Message{t + "x", answer, ""});
  deliver(Endpoint{"10.0.0.8", 6881}, Message{t, answer, ""});
  EXPECT_EQ(drops("unexpected_transaction"), 1u);
  EXPECT_EQ(drops("wrong_sender"), 1u);
  EXPECT_EQ(node_.table().size(), 0u);
  EXPECT_EQ(node_.running_lookups(), 1u);

  // The real answer ends the bootstrap and puts the bootstrap node in the table.
  deliver(bootstrap, Message{t, answer, ""});
  EXPECT_EQ(node_.running_lookups(), 0u);
  ASSERT_NE(node_.table().find(id_from_bits("1")), nullptr);
  ASSERT_TRUE(node_.last_lookup());
  EXPECT_EQ(node_.last_lookup()->kind, LookupKind::Bootstrap);
  EXPECT_EQ(node_.last_lookup()->messages, 1u);
}

TEST_F(NodeTest, RetriesOnceThenFails) {
  Endpoint silent{"10.0.0.9", 6881};
  bool done = false;
  node_.bootstrap({silent}, now_, [&](const LookupResult& result) {
    done = true;
    EXPECT_TRUE(result.closest.empty());
    EXPECT_EQ(result.messages, 2u);
  });
  Sent first = take_query();
  now_ += std::chrono::seconds(2);
  node_.tick(now_);
  Sent retry = take_query();
  EXPECT_EQ(retry.message, first.message);  // the same query under the same transaction id
  now_ += std::chrono::seconds(2);
  node_.tick(now_);
  EXPECT_TRUE(done);
  EXPECT_EQ(node_.counters().retries, 1u);
  EXPECT_EQ(node_.counters().timeouts, 1u);
}

// k = 2 so that a bucket fills with two nodes.
class SmallBucketNodeTest : public NodeTest {
 protected:
  SmallBucketNodeTest() : NodeTest(NodeConfig{id_from_bits("0"), 2, kAlpha, {}, {}, {}, "PL01"}) {}
};

TEST_F(SmallBucketNodeTest, PingsAQuestionableNodeAndReplacesItWhenItStaysSilent) {
  // Two far nodes and a near one query us: each is pinged to verify it, the table splits, and the far bucket
  // holds "10" and "11".
  Endpoint a{"10.0.0.2", 7000}, b{"10.0.0.3", 7000}, near{"10.0.0.4", 7000}, late{"10.0.0.5", 7000};
  query(a, id_from_bits("10"), Ping{});
  answer_pings(a, id_from_bits("10"));
  query(b, id_from_bits("11"), Ping{});
  answer_pings(b, id_from_bits("11"));
  query(near, id_from_bits("01"), Ping{});
  answer_pings(near, id_from_bits("01"));
  EXPECT_EQ(node_.table().find(id_from_bits("10"))->status(now_), NodeStatus::Good);

  // Twenty minutes on, both far nodes are questionable. A newcomer finds their bucket full: the least
  // recently seen, "10", is pinged first.
  now_ += std::chrono::minutes(20);
  query(late, id_from_bits("101"), Ping{});
  Sent ping = take_query();
  EXPECT_EQ(ping.to, a);
  EXPECT_TRUE(std::holds_alternative<Ping>(std::get<Query>(ping.message.body).args));
  EXPECT_EQ(node_.table().find(id_from_bits("101")), nullptr);

  // "10" answers neither the ping nor its retry: it is bad, and the newcomer takes its place.
  for (int i = 0; i < 2; ++i) {
    now_ += std::chrono::seconds(2);
    node_.tick(now_);
  }
  EXPECT_EQ(node_.table().find(id_from_bits("10")), nullptr);
  EXPECT_NE(node_.table().find(id_from_bits("101")), nullptr);
}

}  // namespace
}  // namespace p2p::bittorrent::dht
