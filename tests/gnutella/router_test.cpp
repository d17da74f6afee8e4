// The router: flooding to all but the sender, duplicates, TTL edge cases, reverse-path replies, and expiry.
#include "gnutella/router.h"

#include <gtest/gtest.h>

#include <deque>
#include <set>
#include <tuple>
#include <vector>

namespace p2p::gnutella {
namespace {

const ConnId kA{1};
const ConnId kB{2};
const ConnId kC{3};
const std::vector<ConnId> kNeighbours{kA, kB, kC};

TimePoint at(double seconds) {
  return TimePoint{} + from_seconds(seconds);
}

Header header(PayloadType type, std::uint8_t ttl, std::uint8_t hops, std::uint8_t id = 1) {
  Header h;
  h.guid.fill(id);
  h.type = type;
  h.ttl = ttl;
  h.hops = hops;
  return h;
}

TEST(RouterTest, QueryIsDeliveredAndFloodedToAllButTheSender) {
  Router router;
  RouteDecision d = router.route(header(PayloadType::Query, 7, 0), kB, kNeighbours, at(0));
  EXPECT_FALSE(d.dropped());
  EXPECT_TRUE(d.deliver);
  EXPECT_EQ(d.forward_to, (std::vector<ConnId>{kA, kC}));
  EXPECT_EQ(d.ttl, 6);   // TTL down by one
  EXPECT_EQ(d.hops, 1);  // hops up by one
  EXPECT_FALSE(d.ttl_lowered);
}

TEST(RouterTest, ASecondCopyOfTheSameTypeAndGuidIsADuplicate) {
  Router router;
  router.route(header(PayloadType::Query, 7, 0), kA, kNeighbours, at(0));
  // The same query comes round a loop of the overlay, on another connection.
  RouteDecision again = router.route(header(PayloadType::Query, 5, 2), kC, kNeighbours, at(1));
  EXPECT_EQ(again.drop, DropReason::Duplicate);
  EXPECT_FALSE(again.deliver);
  EXPECT_TRUE(again.forward_to.empty());
  // A Ping that happens to share the GUID is another descriptor: the key is (type, GUID).
  EXPECT_FALSE(router.route(header(PayloadType::Ping, 7, 0), kA, kNeighbours, at(1)).dropped());
}

TEST(RouterTest, TtlOneIsDeliveredButNotForwarded) {
  Router router;
  RouteDecision d = router.route(header(PayloadType::Query, 1, 6), kA, kNeighbours, at(0));
  EXPECT_FALSE(d.dropped());
  EXPECT_TRUE(d.deliver);
  EXPECT_TRUE(d.forward_to.empty());  // the decremented TTL is 0: never forwarded
}

TEST(RouterTest, TtlZeroArrivesDeadAndIsDropped) {
  Router router;
  RouteDecision d = router.route(header(PayloadType::Query, 0, 7), kA, kNeighbours, at(0));
  EXPECT_EQ(d.drop, DropReason::ArrivedDead);
  EXPECT_FALSE(d.deliver);
  EXPECT_EQ(router.size(), 0u);  // not even remembered
}

TEST(RouterTest, TtlAboveFifteenIsDroppedAndFifteenIsCutDown) {
  Router router;
  EXPECT_EQ(router.route(header(PayloadType::Query, 16, 0), kA, kNeighbours, at(0)).drop,
            DropReason::TtlAboveLimit);
  // TTL 15 is legal on the wire but abusive: it is handled, and forwarded with TTL + hops back within 7.
  RouteDecision d = router.route(header(PayloadType::Query, 15, 0, 2), kA, kNeighbours, at(0));
  EXPECT_TRUE(d.deliver);
  EXPECT_TRUE(d.ttl_lowered);
  EXPECT_EQ(d.ttl, 6);
  EXPECT_EQ(d.hops, 1);
}

TEST(RouterTest, TtlPlusHopsBeyondTheMaximumIsLoweredPossiblyToNothing) {
  Router router;
  // TTL 5 after 4 hops: 9 in all. Forwarded as TTL 2, hops 5 (7 in all).
  RouteDecision d = router.route(header(PayloadType::Query, 5, 4), kA, kNeighbours, at(0));
  EXPECT_TRUE(d.ttl_lowered);
  EXPECT_EQ(d.ttl, 2);
  EXPECT_EQ(d.hops, 5);
  EXPECT_EQ(d.forward_to.size(), 2u);
  // TTL 3 after 7 hops has already travelled the maximum: handled here, forwarded nowhere.
  RouteDecision spent = router.route(header(PayloadType::Query, 3, 7, 2), kA, kNeighbours, at(0));
  EXPECT_TRUE(spent.deliver);
  EXPECT_TRUE(spent.forward_to.empty());
}

TEST(RouterTest, QueryHitGoesBackToTheConnectionItsQueryCameFrom) {
  Router router;
  router.route(header(PayloadType::Query, 7, 2), kB, kNeighbours, at(0));
  // The hit for that query arrives on kC, 3 hops from its source.
  RouteDecision hit = router.route(header(PayloadType::QueryHit, 4, 3), kC, kNeighbours, at(1));
  EXPECT_FALSE(hit.dropped());
  EXPECT_FALSE(hit.deliver);
  EXPECT_EQ(hit.forward_to, (std::vector<ConnId>{kB}));
  EXPECT_EQ(hit.ttl, 3);
  EXPECT_EQ(hit.hops, 4);
  // Many hits share the query's GUID: the second is routed too, not taken for a duplicate.
  EXPECT_EQ(router.route(header(PayloadType::QueryHit, 4, 3), kA, kNeighbours, at(1)).forward_to,
            (std::vector<ConnId>{kB}));
}

TEST(RouterTest, PongGoesBackAlongItsPingsPath) {
  Router router;
  router.route(header(PayloadType::Ping, 7, 0, 9), kA, kNeighbours, at(0));
  RouteDecision pong = router.route(header(PayloadType::Pong, 2, 0, 9), kC, kNeighbours, at(0.5));
  EXPECT_EQ(pong.forward_to, (std::vector<ConnId>{kA}));
}

TEST(RouterTest, RepliesToOwnRequestsAreDeliveredHere) {
  Router router;
  Header query = header(PayloadType::Query, 7, 0, 5);
  router.originate(PayloadType::Query, query.guid, at(0));
  RouteDecision hit = router.route(header(PayloadType::QueryHit, 1, 2, 5), kA, kNeighbours, at(1));
  EXPECT_TRUE(hit.deliver);
  EXPECT_TRUE(hit.forward_to.empty());
  // Our own query coming back round a loop is a duplicate.
  EXPECT_EQ(router.route(query, kB, kNeighbours, at(1)).drop, DropReason::Duplicate);
}

TEST(RouterTest, HitsForUnknownGuidsAreDropped) {
  Router router;
  router.route(header(PayloadType::Query, 7, 0, 1), kA, kNeighbours, at(0));
  EXPECT_EQ(router.route(header(PayloadType::QueryHit, 3, 0, 2), kB, kNeighbours, at(0)).drop,
            DropReason::UnknownGuid);
  // A Pong is matched against Pings only, even when a Query had its GUID.
  EXPECT_EQ(router.route(header(PayloadType::Pong, 3, 0, 1), kB, kNeighbours, at(0)).drop,
            DropReason::UnknownGuid);
}

TEST(RouterTest, AReplyWhoseTtlRunsOutIsNotPassedBack) {
  Router router;
  router.route(header(PayloadType::Query, 7, 0), kA, kNeighbours, at(0));
  EXPECT_EQ(router.route(header(PayloadType::QueryHit, 1, 3), kB, kNeighbours, at(0)).drop,
            DropReason::Expired);
  EXPECT_EQ(Router::reply_ttl(header(PayloadType::Query, 5, 2)), 3);  // enough to walk back 3 links
}

TEST(RouterTest, ClosingAConnectionCutsItsReturnPathsButKeepsTheGuidsSeen) {
  Router router;
  router.route(header(PayloadType::Query, 7, 0), kA, kNeighbours, at(0));
  router.forget_connection(kA);
  EXPECT_EQ(router.route(header(PayloadType::QueryHit, 3, 1), kB, kNeighbours, at(1)).drop,
            DropReason::ReturnPathClosed);
  EXPECT_EQ(router.route(header(PayloadType::Query, 6, 1), kC, kNeighbours, at(1)).drop,
            DropReason::Duplicate);
}

TEST(RouterTest, EntriesExpireAfterTheirLifetime) {
  Router router(Router::Config{.entry_lifetime = std::chrono::seconds(60)});
  router.route(header(PayloadType::Query, 7, 0), kA, kNeighbours, at(0));
  // At 59 s the hit still finds its way; at 60 s the entry is gone.
  EXPECT_FALSE(router.route(header(PayloadType::QueryHit, 3, 1), kB, kNeighbours, at(59)).dropped());
  EXPECT_EQ(router.route(header(PayloadType::QueryHit, 3, 1), kB, kNeighbours, at(60)).drop,
            DropReason::UnknownGuid);
  EXPECT_EQ(router.size(), 0u);
  // The same GUID is then new again.
  EXPECT_TRUE(router.route(header(PayloadType::Query, 7, 0), kB, kNeighbours, at(61)).deliver);
}

TEST(RouterTest, TheOldestEntriesMakeRoomWhenTheTableIsFull) {
  Router router(Router::Config{.max_entries = 2});
  for (std::uint8_t id = 1; id <= 3; ++id)
    router.route(header(PayloadType::Query, 7, 0, id), kA, kNeighbours, at(id));
  EXPECT_EQ(router.size(), 2u);
  EXPECT_EQ(router.route(header(PayloadType::QueryHit, 3, 1, 1), kB, kNeighbours, at(4)).drop,
            DropReason::UnknownGuid);
  EXPECT_FALSE(router.route(header(PayloadType::QueryHit, 3, 1, 3), kB, kNeighbours, at(4)).dropped());
}

TEST(RouterTest, ByeIsReadHereAndPushIsNotRouted) {
  Router router;
  RouteDecision bye = router.route(header(PayloadType::Bye, 1, 0), kA, kNeighbours, at(0));
  EXPECT_TRUE(bye.deliver);
  EXPECT_TRUE(bye.forward_to.empty());
  EXPECT_EQ(router.route(header(PayloadType::Push, 7, 0), kA, kNeighbours, at(0)).drop,
            DropReason::NotRouted);
}

// Five servents in a line, 0 - 1 - 2 - 3 - 4, each with its own Router. A connection is named after the
// servent at its other end (ConnId n + 1), so the walk below reads like the picture.
class LineOfServents {
 public:
  LineOfServents() : routers_(5) {}

  std::vector<ConnId> neighbours(int node) const {
    std::vector<ConnId> out;
    if (node > 0) out.push_back(ConnId(node));      // servent node - 1
    if (node < 4) out.push_back(ConnId(node + 2));  // servent node + 1
    return out;
  }

  // Delivers `h` sent by `sender` to its neighbours, hop by hop, as the routers decide. Returns the servents
  // that handled it.
  std::set<int> send(int sender, const Header& h, const std::vector<ConnId>& to) {
    std::set<int> handled;
    std::deque<std::tuple<int, int, Header>> in_flight;
    for (ConnId conn : to) in_flight.emplace_back(static_cast<int>(conn.value) - 1, sender, h);
    while (!in_flight.empty()) {
      auto [node, from, arriving] = in_flight.front();
      in_flight.pop_front();
      RouteDecision d = routers_[node].route(arriving, ConnId(from + 1), neighbours(node), at(0));
      if (d.deliver) handled.insert(node);
      Header next = arriving;
      next.ttl = d.ttl;
      next.hops = d.hops;
      for (ConnId conn : d.forward_to) in_flight.emplace_back(static_cast<int>(conn.value) - 1, node, next);
    }
    return handled;
  }

  Router& router(int node) { return routers_[node]; }

 private:
  std::vector<Router> routers_;
};

TEST(RouterTest, ATtlTwoQueryNeverReachesThreeHopsAndItsHitComesHome) {
  LineOfServents line;
  // Servent 0 asks with TTL 2.
  Header query = header(PayloadType::Query, 2, 0, 7);
  line.router(0).originate(PayloadType::Query, query.guid, at(0));
  EXPECT_EQ(line.send(0, query, line.neighbours(0)), (std::set<int>{1, 2}));

  // Servent 2 matched; its hit retraces the path to servent 0 and only servent 0 takes it.
  Header hit = header(PayloadType::QueryHit, Router::reply_ttl(header(PayloadType::Query, 1, 1)), 0, 7);
  EXPECT_EQ(line.send(2, hit, {ConnId(2)}), (std::set<int>{0}));
}

}  // namespace
}  // namespace p2p::gnutella
