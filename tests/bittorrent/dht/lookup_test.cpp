// The iterative lookup on hand-made ids: whom it asks, in what order, and when it stops. The target is
// 000...0, so an id's leading bits say how close it is.
#include "bittorrent/dht/lookup.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/bittorrent/dht/ids.h"

namespace p2p::bittorrent::dht {
namespace {

using test::id_from_bits;

NodeInfo node(std::string_view bits) {
  static std::uint16_t port = 1000;
  return NodeInfo{id_from_bits(bits), Endpoint{"10.0.0.1", port++}};
}

LookupConfig config_for_zero(std::size_t k) {
  return LookupConfig{NodeId{}, id_from_bits("1", true), k, kAlpha};
}

TEST(LookupTest, AsksTheClosestFirstAndNoMoreThanAlphaAtOnce) {
  NodeInfo n1 = node("1"), n01 = node("01"), n001 = node("001"), n0001 = node("0001"), n00001 = node("00001");
  Lookup lookup(config_for_zero(kBucketSize), {n1, n01, n001, n0001, n00001});
  EXPECT_EQ(lookup.next_queries(), (std::vector<NodeInfo>{n00001, n0001, n001}));
  EXPECT_TRUE(lookup.next_queries().empty());
  EXPECT_EQ(lookup.in_flight(), 3u);
  // One answers (knowing nobody closer): one more query may go out.
  lookup.on_response(n00001.id, {});
  EXPECT_EQ(lookup.next_queries(), std::vector<NodeInfo>{n01});
  EXPECT_EQ(lookup.queries_sent(), 4u);
}

TEST(LookupTest, FollowsCloserNodesAndStopsWhenTheKClosestHaveAnswered) {
  NodeInfo far = node("1"), middle = node("01"), near = node("0001"), nearest = node("00001");
  Lookup lookup(config_for_zero(2), {far, middle});
  EXPECT_EQ(lookup.next_queries(), (std::vector<NodeInfo>{middle, far}));
  // `middle` knows closer nodes: they take the front, and both are asked while `far` is still in flight.
  lookup.on_response(middle.id, {near, nearest});
  EXPECT_EQ(lookup.next_queries(), (std::vector<NodeInfo>{nearest, near}));
  lookup.on_response(far.id, {});
  EXPECT_TRUE(lookup.next_queries().empty());
  lookup.on_response(nearest.id, {});
  EXPECT_FALSE(lookup.done());
  lookup.on_response(near.id, {middle});  // a node already known is not added twice
  EXPECT_TRUE(lookup.done());
  EXPECT_EQ(lookup.closest_answered(), (std::vector<NodeInfo>{nearest, near}));
  EXPECT_EQ(lookup.candidates(), 4u);
}

TEST(LookupTest, ATimedOutNodeFailsAndTheNextCandidateMovesUp) {
  NodeInfo a = node("001"), b = node("01"), c = node("1");
  Lookup lookup(LookupConfig{NodeId{}, id_from_bits("1", true), 2, 2}, {a, b, c});
  EXPECT_EQ(lookup.next_queries(), (std::vector<NodeInfo>{a, b}));
  lookup.on_timeout(a.id);
  // With `a` failed, `c` is among the two closest still standing.
  EXPECT_EQ(lookup.next_queries(), std::vector<NodeInfo>{c});
  lookup.on_response(b.id, {});
  lookup.on_response(c.id, {});
  EXPECT_TRUE(lookup.done());
  EXPECT_EQ(lookup.closest_answered(), (std::vector<NodeInfo>{b, c}));
  // A late answer from `a` still counts: it is the closest that answered.
  lookup.on_response(a.id, {});
  EXPECT_EQ(lookup.closest_answered(), (std::vector<NodeInfo>{a, b}));
}

TEST(LookupTest, IgnoresAnswersFromNodesNeverAskedAndNeverAsksItself) {
  NodeInfo asked = node("01"), stranger = node("001");
  LookupConfig config = config_for_zero(kBucketSize);
  Lookup lookup(config, {asked});
  lookup.next_queries();
  lookup.on_response(stranger.id, {node("0001")});
  EXPECT_EQ(lookup.candidates(), 1u);
  lookup.on_response(asked.id, {NodeInfo{config.own_id, Endpoint{"10.0.0.1", 1}}});
  EXPECT_EQ(lookup.candidates(), 1u);
  EXPECT_TRUE(lookup.done());
}

TEST(LookupTest, KeepsABoundedNumberOfCandidates) {
  Rng rng(5);
  NodeInfo first = node("1");
  Lookup lookup(config_for_zero(kBucketSize), {first});
  lookup.next_queries();
  std::vector<NodeInfo> flood;
  for (std::uint16_t i = 1; i <= 1000; ++i) flood.push_back(NodeInfo{NodeId::random(rng), {"10.0.1.1", i}});
  lookup.on_response(first.id, flood);
  EXPECT_EQ(lookup.candidates(), kMaxCandidates);
  // The ones kept are the closest: the first to be asked is the closest of the flood.
  auto closest = *std::ranges::min_element(
      flood, [](const NodeInfo& a, const NodeInfo& b) { return closer(NodeId{}, a.id, b.id); });
  EXPECT_EQ(lookup.next_queries().front(), closest);
}

TEST(LookupTest, WithNoSeedsThereIsNothingToAsk) {
  Lookup lookup(config_for_zero(kBucketSize), {});
  EXPECT_TRUE(lookup.next_queries().empty());
  EXPECT_TRUE(lookup.done());
  EXPECT_TRUE(lookup.closest_answered().empty());
}

}  // namespace
}  // namespace p2p::bittorrent::dht
