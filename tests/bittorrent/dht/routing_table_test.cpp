// The routing table on hand-made ids (BEP 5, "Routing Table"): the own id is 000...0, so an id's leading bits
// say which bucket it belongs to ("1..." the far half, "01..." the next quarter, ...).
#include "bittorrent/dht/routing_table.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/bittorrent/dht/ids.h"

namespace p2p::bittorrent::dht {
namespace {

using test::id_from_bits;

TimePoint at_minute(int minutes) {
  return TimePoint{} + std::chrono::minutes(minutes);
}

class RoutingTableTest : public ::testing::Test {
 protected:
  // A node whose id starts with `bits` and ends with the byte `tag`, on an address no other node has.
  NodeInfo node(std::string_view bits, std::uint8_t tag) {
    NodeId id = id_from_bits(bits);
    id.bytes[kIdBytes - 1] = tag;
    return NodeInfo{id, Endpoint{"10.0.0.1", next_port_++}};
  }

  // `count` nodes starting with `bits`, each answering one query at `when`.
  std::vector<NodeInfo> answer_from(std::string_view bits, int count, TimePoint when) {
    std::vector<NodeInfo> nodes;
    for (int i = 1; i <= count; ++i) {
      nodes.push_back(node(bits, static_cast<std::uint8_t>(i)));
      EXPECT_EQ(table_.on_response(nodes.back(), when).outcome, InsertOutcome::Added);
    }
    return nodes;
  }

  RoutingTable table_{RoutingTableConfig{NodeId{}, kBucketSize}};
  std::uint16_t next_port_ = 1000;
};

TEST_F(RoutingTableTest, SplitsOnlyTheBucketHoldingItsOwnId) {
  // Eight nodes fill the single bucket that covers the whole id space.
  answer_from("1", 8, at_minute(0));
  ASSERT_EQ(table_.buckets().size(), 1u);

  // A ninth: the full bucket holds the own id, so it splits into "1..." (full of good nodes) and "0..."
  // (empty). The newcomer belongs to the full far half, which may not split: it is discarded.
  EXPECT_EQ(table_.on_response(node("1", 9), at_minute(1)).outcome, InsertOutcome::Discarded);
  ASSERT_EQ(table_.buckets().size(), 2u);
  EXPECT_EQ(table_.buckets()[0].nodes.size(), 8u);
  EXPECT_EQ(table_.buckets()[1].nodes.size(), 0u);

  // "01..." nodes fill the own half; the next one splits it again.
  answer_from("01", 8, at_minute(2));
  EXPECT_EQ(table_.on_response(node("01", 9), at_minute(3)).outcome, InsertOutcome::Discarded);
  ASSERT_EQ(table_.buckets().size(), 3u);
  EXPECT_EQ(table_.on_response(node("001", 1), at_minute(3)).outcome, InsertOutcome::Added);

  // Far nodes still find their bucket full, and it never splits: the table stays at three buckets.
  EXPECT_EQ(table_.on_response(node("1", 10), at_minute(4)).outcome, InsertOutcome::Discarded);
  EXPECT_EQ(table_.buckets().size(), 3u);
  EXPECT_EQ(table_.size(), 17u);
}

TEST_F(RoutingTableTest, ANewcomerNearTheOwnIdSplitsAsOftenAsItNeeds) {
  answer_from("1", 8, at_minute(0));
  // "0001..." shares three bits with the own id: after one split its half has room.
  EXPECT_EQ(table_.on_response(node("0001", 1), at_minute(1)).outcome, InsertOutcome::Added);
  EXPECT_EQ(table_.buckets().size(), 2u);
  EXPECT_EQ(table_.buckets()[1].nodes.size(), 1u);
}

TEST_F(RoutingTableTest, ReplacesABadNodeBeforeSplitting) {
  auto nodes = answer_from("1", 8, at_minute(0));
  // BEP 5: bad after failing to answer several queries in a row. One failure is not enough.
  table_.on_timeout(nodes[2].id, at_minute(1));
  EXPECT_EQ(table_.find(nodes[2].id)->status(at_minute(1)), NodeStatus::Good);
  table_.on_timeout(nodes[2].id, at_minute(2));
  EXPECT_EQ(table_.find(nodes[2].id)->status(at_minute(2)), NodeStatus::Bad);

  // The bucket is full but holds a bad node: the newcomer takes its place, and nothing splits.
  NodeInfo newcomer = node("1", 9);
  EXPECT_EQ(table_.on_response(newcomer, at_minute(3)).outcome, InsertOutcome::Replaced);
  EXPECT_EQ(table_.find(nodes[2].id), nullptr);
  ASSERT_NE(table_.find(newcomer.id), nullptr);
  EXPECT_EQ(table_.buckets().size(), 1u);
  EXPECT_EQ(table_.size(), 8u);
}

TEST_F(RoutingTableTest, PingsTheLeastRecentlySeenQuestionableNodeBeforeReplacingIt) {
  // Far nodes seen at minutes 0..7, then a near node that splits the table: the far bucket is full for good.
  std::vector<NodeInfo> far;
  for (int i = 0; i < 8; ++i) {
    far.push_back(node("1", static_cast<std::uint8_t>(i + 1)));
    table_.on_response(far.back(), at_minute(i));
  }
  table_.on_response(node("01", 1), at_minute(8));
  ASSERT_EQ(table_.buckets().size(), 2u);

  // Half an hour on, every far node is questionable. A newcomer asks for the stalest one to be pinged.
  NodeInfo first = node("1", 20);
  Insertion insertion = table_.on_response(first, at_minute(30));
  EXPECT_EQ(insertion.outcome, InsertOutcome::PingFirst);
  EXPECT_EQ(insertion.ping, far[0]);
  EXPECT_EQ(table_.find(first.id), nullptr);

  // far[0] answers: it is good again, and the next newcomer has far[1] pinged instead.
  EXPECT_EQ(table_.on_response(far[0], at_minute(31)).outcome, InsertOutcome::Updated);
  NodeInfo second = node("1", 21);
  EXPECT_EQ(table_.on_response(second, at_minute(31)).ping, far[1]);

  // far[1] stays silent twice: it turns bad and the newest waiting newcomer takes its place.
  table_.on_timeout(far[1].id, at_minute(32));
  EXPECT_NE(table_.find(far[1].id), nullptr);
  table_.on_timeout(far[1].id, at_minute(33));
  EXPECT_EQ(table_.find(far[1].id), nullptr);
  ASSERT_NE(table_.find(second.id), nullptr);
  EXPECT_EQ(table_.buckets()[0].nodes.size(), 8u);
  // The other newcomer still waits for the next node to turn bad.
  EXPECT_EQ(table_.buckets()[0].replacements.size(), 1u);
  EXPECT_EQ(table_.buckets()[0].replacements[0].info, first);
}

TEST_F(RoutingTableTest, ABucketFullOfGoodNodesDiscardsNewcomers) {
  answer_from("1", 8, at_minute(0));
  table_.on_response(node("01", 1), at_minute(0));
  Insertion insertion = table_.on_response(node("1", 9), at_minute(14));
  EXPECT_EQ(insertion.outcome, InsertOutcome::Discarded);
  EXPECT_FALSE(insertion.ping);
  EXPECT_TRUE(table_.buckets()[0].replacements.empty());
}

TEST(NodeStatusTest, GoodQuestionableAndBadAsBep5DefinesThem) {
  NodeEntry entry;
  // Never answered: questionable, even if it queried us a moment ago.
  entry.last_query = at_minute(0);
  EXPECT_EQ(entry.status(at_minute(0)), NodeStatus::Questionable);
  // Answered: good for 15 minutes, questionable after.
  entry.last_response = at_minute(1);
  EXPECT_EQ(entry.status(at_minute(15)), NodeStatus::Good);
  EXPECT_EQ(entry.status(at_minute(16)), NodeStatus::Questionable);
  // Having answered once, a query from it makes it good again for 15 minutes.
  entry.last_query = at_minute(20);
  EXPECT_EQ(entry.status(at_minute(34)), NodeStatus::Good);
  EXPECT_EQ(entry.status(at_minute(35)), NodeStatus::Questionable);
  // Two unanswered queries in a row make it bad, however recent its last answer.
  entry.last_response = at_minute(40);
  entry.failed_queries = 1;
  EXPECT_EQ(entry.status(at_minute(40)), NodeStatus::Good);
  entry.failed_queries = 2;
  EXPECT_EQ(entry.status(at_minute(40)), NodeStatus::Bad);
}

TEST_F(RoutingTableTest, AnAnswerClearsEarlierFailures) {
  NodeInfo a = answer_from("1", 1, at_minute(0))[0];
  table_.on_timeout(a.id, at_minute(1));
  table_.on_response(a, at_minute(2));
  table_.on_timeout(a.id, at_minute(3));
  EXPECT_EQ(table_.find(a.id)->failed_queries, 1);
  EXPECT_EQ(table_.find(a.id)->status(at_minute(3)), NodeStatus::Good);
}

TEST_F(RoutingTableTest, NodesThatOnlyQueriedUsAreKeptButNotGood) {
  NodeInfo querier = node("1", 1);
  EXPECT_EQ(table_.on_query(querier, at_minute(0)).outcome, InsertOutcome::Added);
  EXPECT_EQ(table_.find(querier.id)->status(at_minute(0)), NodeStatus::Questionable);
  EXPECT_EQ(table_.on_query(querier, at_minute(1)).outcome, InsertOutcome::Updated);
  EXPECT_EQ(table_.find(querier.id)->last_query, at_minute(1));
}

TEST_F(RoutingTableTest, BucketsUntouchedFor15MinutesNeedARefresh) {
  NodeInfo a = answer_from("1", 1, at_minute(0))[0];
  EXPECT_TRUE(table_.buckets_to_refresh(at_minute(14)).empty());
  EXPECT_EQ(table_.buckets_to_refresh(at_minute(15)), std::vector<std::size_t>{0});
  // A query from a node in the bucket is not a change (BEP 5 counts answers, additions and replacements)...
  table_.on_query(a, at_minute(15));
  EXPECT_EQ(table_.buckets_to_refresh(at_minute(15)), std::vector<std::size_t>{0});
  // ...an answer is.
  table_.on_response(a, at_minute(15));
  EXPECT_TRUE(table_.buckets_to_refresh(at_minute(29)).empty());
  EXPECT_EQ(table_.buckets_to_refresh(at_minute(30)), std::vector<std::size_t>{0});
}

TEST_F(RoutingTableTest, RefreshTargetsLieInTheirBucketsRange) {
  answer_from("1", 8, at_minute(0));
  answer_from("01", 8, at_minute(0));
  answer_from("001", 8, at_minute(0));
  table_.on_response(node("0001", 1), at_minute(0));
  ASSERT_EQ(table_.buckets().size(), 4u);
  Rng rng(3);
  for (std::size_t bucket = 0; bucket < 4; ++bucket) {
    for (int draw = 0; draw < 20; ++draw) {
      std::size_t shared = shared_prefix_bits(table_.refresh_target(bucket, rng), table_.own_id());
      if (bucket < 3) {
        EXPECT_EQ(shared, bucket);
      } else {
        EXPECT_GE(shared, 3u);  // the last bucket: everything at least as close as its index
      }
    }
  }
}

TEST_F(RoutingTableTest, ClosestGivesGoodNodesByXorDistanceAndNeverBadOnes) {
  // A table filled from random ids, against a plain sort of everything it kept.
  Rng rng(11);
  for (int i = 0; i < 200; ++i) {
    table_.on_response(NodeInfo{NodeId::random(rng), Endpoint{"10.0.0.2", next_port_++}}, at_minute(0));
  }
  NodeId target = NodeId::random(rng);
  std::vector<NodeInfo> kept;
  for (const Bucket& bucket : table_.buckets()) {
    for (const NodeEntry& entry : bucket.nodes) kept.push_back(entry.info);
  }
  ASSERT_GT(kept.size(), kBucketSize);
  std::ranges::sort(kept, [&](const NodeInfo& a, const NodeInfo& b) { return closer(target, a.id, b.id); });
  std::vector<NodeInfo> expected(kept.begin(), kept.begin() + kBucketSize);
  EXPECT_EQ(table_.closest(target, kBucketSize, at_minute(1)), expected);

  // The closest turns bad: it is left out, and the ninth closest moves up.
  table_.on_timeout(kept[0].id, at_minute(1));
  table_.on_timeout(kept[0].id, at_minute(1));
  std::vector<NodeInfo> without_bad(kept.begin() + 1, kept.begin() + kBucketSize + 1);
  EXPECT_EQ(table_.closest(target, kBucketSize, at_minute(1)), without_bad);

  // Twenty minutes on only the closest remaining node has answered again: it is the one good node, and
  // questionable nodes fill the rest, closest first.
  table_.on_response(kept[5], at_minute(20));
  auto closest = table_.closest(target, 3, at_minute(20));
  EXPECT_EQ(closest, (std::vector<NodeInfo>{kept[5], kept[1], kept[2]}));
}

TEST_F(RoutingTableTest, TrustsAnIdOnlyAtItsFirstAddressAndOneNodePerAddress) {
  EXPECT_EQ(table_.on_response(NodeInfo{NodeId{}, {"10.0.0.9", 1}}, at_minute(0)).outcome,
            InsertOutcome::Discarded);  // the own id
  NodeInfo a = node("1", 1);
  table_.on_response(a, at_minute(0));
  // Another address claiming a's id is not believed; a's entry keeps its address.
  EXPECT_EQ(table_.on_response(NodeInfo{a.id, {"10.0.0.66", 6}}, at_minute(1)).outcome,
            InsertOutcome::Discarded);
  EXPECT_EQ(table_.find(a.id)->info.endpoint, a.endpoint);
  EXPECT_EQ(table_.find(a.id)->last_response, at_minute(0));
  // And a's address cannot bring in a second id.
  EXPECT_EQ(table_.on_response(NodeInfo{id_from_bits("11"), a.endpoint}, at_minute(1)).outcome,
            InsertOutcome::Discarded);
  EXPECT_EQ(table_.size(), 1u);
}

}  // namespace
}  // namespace p2p::bittorrent::dht
