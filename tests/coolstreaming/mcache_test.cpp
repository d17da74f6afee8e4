// MCache: refresh by sequence number, expiry by time to live, random candidates that skip the partners,
// and the SCAMP rule for gossiped membership records (keep with probability 1 / (1 + view size), else pass
// on with one hop taken off the ttl).
#include "coolstreaming/mcache.h"

#include <gtest/gtest.h>

#include <set>

namespace p2p::coolstreaming {
namespace {

constexpr TimePoint kT0 = TimePoint{} + std::chrono::hours(2);

Endpoint node(std::uint16_t port) {
  return Endpoint{.host = "10.0.0.2", .port = port};
}

MemberRecord record(std::uint16_t port, std::uint32_t seq, Duration ttl = std::chrono::seconds(30),
                    std::uint16_t num_partner = 4) {
  return MemberRecord{.seq = seq, .id = node(port), .num_partner = num_partner, .ttl = ttl};
}

MCacheConfig config_for(std::uint16_t self_port, std::size_t capacity = 64) {
  return MCacheConfig{.self = node(self_port), .capacity = capacity, .hop_ttl = std::chrono::seconds(1)};
}

std::set<std::uint16_t> ports(const std::vector<Endpoint>& ids) {
  std::set<std::uint16_t> out;
  for (const Endpoint& id : ids) out.insert(id.port);
  return out;
}

TEST(MCacheTest, AHigherSeqReplacesTheEntryAndALowerOneIsIgnored) {
  MCache cache(config_for(1));
  EXPECT_TRUE(cache.update(record(2, 5, 30s, 3), kT0));
  EXPECT_FALSE(cache.update(record(2, 4, 30s, 1), kT0 + 1s));  // older news
  EXPECT_FALSE(cache.update(record(2, 5, 30s, 1), kT0 + 1s));  // the same news again
  ASSERT_NE(cache.find(node(2)), nullptr);
  EXPECT_EQ(cache.find(node(2))->record.num_partner, 3);
  EXPECT_TRUE(cache.update(record(2, 6, 30s, 2), kT0 + 5s));
  EXPECT_EQ(cache.find(node(2))->record.num_partner, 2);
  EXPECT_EQ(cache.find(node(2))->updated, kT0 + 5s);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(MCacheTest, EntriesExpireWhenTheirTtlHasRunOutSinceTheirLastUpdate) {
  MCache cache(config_for(1));
  cache.update(record(2, 1, 10s), kT0);
  cache.update(record(3, 1, 30s), kT0);
  EXPECT_TRUE(cache.expire(kT0 + 9s).empty());
  EXPECT_EQ(MCache::current(*cache.find(node(2)), kT0 + 9s).ttl, 1s);  // what it would be passed on with
  EXPECT_EQ(cache.expire(kT0 + 10s), (std::vector<Endpoint>{node(2)}));
  // Node 3 announces itself again at 20 s: its entry now lives until 50 s, not 30 s.
  cache.update(record(3, 2, 30s), kT0 + 20s);
  EXPECT_TRUE(cache.expire(kT0 + 45s).empty());
  EXPECT_EQ(cache.expire(kT0 + 50s), (std::vector<Endpoint>{node(3)}));
  EXPECT_EQ(cache.size(), 0u);
}

TEST(MCacheTest, NeverStoresItselfOrARecordWithNoTimeLeft) {
  MCache cache(config_for(1));
  EXPECT_FALSE(cache.update(record(1, 9), kT0));
  EXPECT_FALSE(cache.update(record(2, 9, Duration::zero()), kT0));
  EXPECT_EQ(cache.size(), 0u);
}

TEST(MCacheTest, RandomPicksSkipTheCurrentPartners) {
  MCache cache(config_for(1));
  for (std::uint16_t port : {2, 3, 4, 5}) cache.update(record(port, 1), kT0);
  const std::vector<Endpoint> partners{node(3), node(4)};
  Rng rng(11);
  EXPECT_EQ(ports(cache.pick(10, partners, rng)), (std::set<std::uint16_t>{2, 5}));  // all that are left
  std::set<std::uint16_t> drawn;
  for (int i = 0; i < 50; ++i) {
    std::vector<Endpoint> one = cache.pick(1, partners, rng);
    ASSERT_EQ(one.size(), 1u);
    drawn.insert(one.front().port);
  }
  EXPECT_EQ(drawn, (std::set<std::uint16_t>{2, 5}));  // either one, at random
}

TEST(MCacheTest, AFullViewMakesRoomByDroppingTheEntryClosestToExpiry) {
  MCache cache(config_for(1, 2));
  cache.update(record(2, 1, 60s), kT0);
  cache.update(record(3, 1, 20s), kT0);
  cache.update(record(4, 1, 60s), kT0 + 5s);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.find(node(3)), nullptr);
  EXPECT_NE(cache.find(node(2)), nullptr);
  EXPECT_NE(cache.find(node(4)), nullptr);
}

TEST(MCacheTest, AnEmptyViewKeepsANewMember) {
  MCache cache(config_for(1));
  Rng rng(3);
  GossipDecision decision = cache.on_gossip(record(7, 1), node(2), kT0, rng);
  EXPECT_TRUE(decision.stored);  // probability 1 / (1 + 0)
  EXPECT_FALSE(decision.forward_to);
  EXPECT_NE(cache.find(node(7)), nullptr);
}

TEST(MCacheTest, KeepsANewMemberWithProbabilityOneOverOnePlusTheViewSize) {
  // A view of three: a new member is kept a quarter of the time and otherwise passed on, never back to the
  // node that sent it, never to the member itself, with one hop (1 s) off its ttl.
  MCache view(config_for(1));
  for (std::uint16_t port : {2, 3, 4}) view.update(record(port, 1), kT0);
  Rng rng(5);
  int kept = 0;
  constexpr int kTrials = 4000;
  for (int i = 0; i < kTrials; ++i) {
    MCache cache = view;
    GossipDecision decision = cache.on_gossip(record(9, 1, 30s), node(2), kT0, rng);
    if (decision.stored) {
      ++kept;
      EXPECT_FALSE(decision.forward_to);
      continue;
    }
    ASSERT_TRUE(decision.forward_to);
    EXPECT_NE(*decision.forward_to, node(2));
    EXPECT_NE(*decision.forward_to, node(9));
    EXPECT_EQ(decision.forwarded.ttl, 29s);
    EXPECT_EQ(decision.forwarded.id, node(9));
  }
  EXPECT_NEAR(static_cast<double>(kept) / kTrials, 0.25, 0.03);
}

TEST(MCacheTest, NewerNewsOfAKnownMemberRefreshesItAndTravelsOn) {
  MCache cache(config_for(1));
  cache.update(record(2, 1), kT0);
  cache.update(record(3, 4, 30s, 1), kT0);
  cache.update(record(4, 1), kT0);
  Rng rng(8);
  GossipDecision newer = cache.on_gossip(record(3, 5, 30s, 6), node(2), kT0 + 1s, rng);
  EXPECT_TRUE(newer.stored);
  EXPECT_EQ(cache.find(node(3))->record.num_partner, 6);
  EXPECT_EQ(newer.forward_to, node(4)) << "the only member that is neither the sender nor the subject";
  // The same record again, or an older one, or one about ourselves: its walk ends here.
  for (const MemberRecord& stale : {record(3, 5), record(3, 2), record(1, 99)}) {
    GossipDecision decision = cache.on_gossip(stale, node(2), kT0 + 2s, rng);
    EXPECT_FALSE(decision.stored);
    EXPECT_FALSE(decision.forward_to);
  }
}

TEST(MCacheTest, ANewMemberWithNoHopLeftIsKeptRatherThanLost) {
  MCache view(config_for(1));
  for (std::uint16_t port : {2, 3, 4, 5, 6, 7, 8, 9}) view.update(record(port, 1), kT0);
  Rng rng(13);
  for (int i = 0; i < 20; ++i) {
    MCache cache = view;
    // One second left: passing it on would leave it nothing, so whatever the draw it stays here.
    GossipDecision decision = cache.on_gossip(record(20, 1, 1s), node(2), kT0, rng);
    EXPECT_TRUE(decision.stored);
    EXPECT_FALSE(decision.forward_to);
  }
}

}  // namespace
}  // namespace p2p::coolstreaming
