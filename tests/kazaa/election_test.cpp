// The election: the eligible fast node steps up when supernodes are too few or none takes it, an ineligible
// one never does, an underloaded supernode steps down when others suffice, and no node flaps between roles.
#include "kazaa/election.h"

#include <gtest/gtest.h>

namespace p2p::kazaa {
namespace {

TimePoint at(double s) {
  return TimePoint{} + from_seconds(s);
}

// 100 children per supernode, a 20 s settle, 120 s tenure; eligible from 1
// Mbit/s, 60 s up, reachable.
ElectionConfig config() {
  return ElectionConfig{.min_upload_bps = 1'000'000,
                        .min_uptime = seconds(60),
                        .children_per_super = 100,
                        .underloaded_share = 0.25,
                        .demote_fill = 0.5,
                        .settle = seconds(20),
                        .min_tenure = seconds(120)};
}

const NodeView kFast{.upload_bps = 4'000'000, .uptime = seconds(600), .reachable = true};
// One supernode for 150 ordinary nodes: too few at 100 children each.
const NetworkView kShort{.supernodes = 1, .ordinary_nodes = 150};

TEST(ElectionTest, PromotesTheEligibleFastNodeOnceTheShortageHasLasted) {
  Election election(config());
  // 4 Mbit/s is four times the minimum: it waits 20 s / 4 = 5 s.
  EXPECT_EQ(election.on_observe(kFast, kShort, 0, at(100)), ElectionDecision::Stay);
  EXPECT_EQ(election.on_observe(kFast, kShort, 0, at(104)), ElectionDecision::Stay);
  EXPECT_EQ(election.on_observe(kFast, kShort, 0, at(105)), ElectionDecision::Promote);
  EXPECT_EQ(election.role(), Role::Super);
}

TEST(ElectionTest, NeverPromotesAnIneligibleNode) {
  NodeView slow = kFast;
  slow.upload_bps = 500'000;
  NodeView young = kFast;
  young.uptime = seconds(30);
  NodeView behind_nat = kFast;
  behind_nat.reachable = false;
  for (const NodeView& node : {slow, young, behind_nat}) {
    Election election(config());
    EXPECT_FALSE(election.eligible(node));
    // Not even with no supernode at all, nor refused by all, over ten minutes.
    for (int t = 0; t <= 600; t += 10) {
      EXPECT_EQ(election.on_observe(node, NetworkView{.supernodes = 0, .ordinary_nodes = 150}, 0, at(t)),
                ElectionDecision::Stay);
      NetworkView stranded{.supernodes = 1, .ordinary_nodes = 0, .stranded_round = seconds(1)};
      EXPECT_EQ(election.on_observe(node, stranded, 0, at(t)), ElectionDecision::Stay);
    }
    EXPECT_EQ(election.role(), Role::Ordinary);
  }
}

TEST(ElectionTest, NoPromotionWhileTheSupernodesSuffice) {
  Election election(config());
  // Two supernodes hold 150 ordinary nodes within 100 each.
  for (int t = 0; t <= 600; t += 10)
    EXPECT_EQ(election.on_observe(kFast, NetworkView{.supernodes = 2, .ordinary_nodes = 150}, 0, at(t)),
              ElectionDecision::Stay);
}

// The stall of labs/04-kazaa's sweep at 50 children per supernode: one full supernode, whose children's
// stats show no shortage (50 users for 50 places), and nodes it refuses, which get no stats at all.
TEST(ElectionTest, PromotesANodeThatEverySupernodeRefusesWhateverTheStatsSay) {
  Election election(config());
  NetworkView one_full{.supernodes = 1, .ordinary_nodes = 50};
  // `began` is when its latest join round that found no room began.
  auto stranded_at = [&](double t, double began) {
    NetworkView view = one_full;
    view.stranded_round = from_seconds(t - began);
    return view;
  };
  // Attached (or still trying) with these stats, it would stay ordinary.
  for (int t = 0; t <= 100; t += 10)
    EXPECT_EQ(election.on_observe(kFast, one_full, 0, at(t)), ElectionDecision::Stay);
  // Refused everywhere in a round begun at t=99, it waits its settle time (20 s / 4 for 4 Mbit/s) like any
  // node that sees a shortage; the round begun at 103 started before that wait was over, so it says nothing
  // of a supernode that stepped up at 104. The round begun at 105 does.
  EXPECT_EQ(election.on_observe(kFast, stranded_at(100, 99), 0, at(100)), ElectionDecision::Stay);
  EXPECT_EQ(election.on_observe(kFast, stranded_at(105, 103), 0, at(105)), ElectionDecision::Stay);
  EXPECT_EQ(election.on_observe(kFast, stranded_at(106, 103), 0, at(106)), ElectionDecision::Stay);
  EXPECT_EQ(election.on_observe(kFast, stranded_at(107, 105), 0, at(107)), ElectionDecision::Promote);
  EXPECT_EQ(election.role(), Role::Super);
}

TEST(ElectionTest, ATooFewSupernodesShortageNeedsNoFreshJoinRound) {
  Election election(config());
  // Stranded in a round begun at t=99, and the stats too show a shortage: the wait alone decides.
  NetworkView both = kShort;
  both.stranded_round = seconds(1);
  EXPECT_EQ(election.on_observe(kFast, both, 0, at(100)), ElectionDecision::Stay);
  both.stranded_round = seconds(6);
  EXPECT_EQ(election.on_observe(kFast, both, 0, at(105)), ElectionDecision::Promote);
}

TEST(ElectionTest, AStrandedNodeThatFindsRoomStaysOrdinary) {
  Election election(config());
  NetworkView stranded{.supernodes = 1, .ordinary_nodes = 50, .stranded_round = seconds(1)};
  EXPECT_EQ(election.on_observe(kFast, stranded, 0, at(100)), ElectionDecision::Stay);
  // Before its settle time is over, a new supernode takes it: attached, it is stranded no more.
  EXPECT_EQ(election.on_observe(kFast, NetworkView{.supernodes = 2, .ordinary_nodes = 51}, 0, at(104)),
            ElectionDecision::Stay);
  for (int t = 105; t <= 600; t += 5)
    EXPECT_EQ(election.on_observe(kFast, NetworkView{.supernodes = 2, .ordinary_nodes = 51}, 0, at(t)),
              ElectionDecision::Stay);
  EXPECT_EQ(election.role(), Role::Ordinary);
}

TEST(ElectionTest, AShortageThatLapsesStartsTheWaitAgain) {
  Election election(config());
  NodeView minimum = kFast;
  minimum.upload_bps = 1'000'000;  // just eligible: the full 20 s wait
  election.on_observe(minimum, kShort, 0, at(0));
  // At t=15 the stats show enough supernodes again; at t=16 a shortage again.
  election.on_observe(minimum, NetworkView{.supernodes = 2, .ordinary_nodes = 150}, 0, at(15));
  EXPECT_EQ(election.on_observe(minimum, kShort, 0, at(16)), ElectionDecision::Stay);
  EXPECT_EQ(election.on_observe(minimum, kShort, 0, at(35)), ElectionDecision::Stay);
  EXPECT_EQ(election.on_observe(minimum, kShort, 0, at(36)), ElectionDecision::Promote);
}

TEST(ElectionTest, TheFasterNodeStepsUpFirst) {
  Election fast(config());
  Election slow(config());
  NodeView minimum = kFast;
  minimum.upload_bps = 1'000'000;
  fast.on_observe(kFast, kShort, 0, at(0));
  slow.on_observe(minimum, kShort, 0, at(0));
  EXPECT_EQ(fast.on_observe(kFast, kShort, 0, at(5)), ElectionDecision::Promote);
  EXPECT_EQ(slow.on_observe(minimum, kShort, 0, at(5)), ElectionDecision::Stay);
  // Once the fast node serves, the stats show no shortage and the slow node stays ordinary.
  NetworkView after{.supernodes = 2, .ordinary_nodes = 149};
  EXPECT_EQ(slow.on_observe(minimum, after, 0, at(25)), ElectionDecision::Stay);
  EXPECT_EQ(slow.role(), Role::Ordinary);
}

TEST(ElectionTest, DemotesAnUnderloadedSupernodeWhenTheOthersSuffice) {
  Election election(config(), Role::Super);
  // Ten supernodes for 200 ordinary nodes: the other nine would hold 201 within half of 900 places.
  NetworkView plenty{.supernodes = 10, .ordinary_nodes = 200};
  // With 40 children it is not underloaded (25 is the line).
  EXPECT_EQ(election.on_observe(kFast, plenty, 40, at(0)), ElectionDecision::Stay);
  EXPECT_EQ(election.on_observe(kFast, plenty, 40, at(100)), ElectionDecision::Stay);
  // With 5 it is, and after 20 s of that it steps down.
  EXPECT_EQ(election.on_observe(kFast, plenty, 5, at(110)), ElectionDecision::Stay);
  EXPECT_EQ(election.on_observe(kFast, plenty, 5, at(130)), ElectionDecision::Demote);
  EXPECT_EQ(election.role(), Role::Ordinary);
}

TEST(ElectionTest, AnUnderloadedSupernodeStaysWhenTheOthersWouldBeTooFull) {
  Election election(config(), Role::Super);
  // Three supernodes, 120 ordinary nodes: the other two would hold 121 in 2 x 100, more than half full.
  for (int t = 0; t <= 600; t += 10)
    EXPECT_EQ(election.on_observe(kFast, NetworkView{.supernodes = 3, .ordinary_nodes = 120}, 0, at(t)),
              ElectionDecision::Stay);
}

TEST(ElectionTest, DoesNotFlap) {
  Election election(config());
  election.on_observe(kFast, kShort, 0, at(0));
  ASSERT_EQ(election.on_observe(kFast, kShort, 0, at(5)), ElectionDecision::Promote);
  // The new supernode has no children yet, and the stats still lag: within its tenure it stays.
  EXPECT_EQ(election.on_observe(kFast, NetworkView{.supernodes = 30, .ordinary_nodes = 150}, 0, at(10)),
            ElectionDecision::Stay);
  // After it, the network it joined (2 supernodes, 149 ordinary) is no surplus, however few children it has.
  for (int t = 130; t <= 1000; t += 10)
    EXPECT_EQ(election.on_observe(kFast, NetworkView{.supernodes = 2, .ordinary_nodes = 149}, 3, at(t)),
              ElectionDecision::Stay);
  EXPECT_EQ(election.role(), Role::Super);
}

TEST(ElectionTest, ADemotedNodeDoesNotStepUpAgainOnTheNetworkItLeft) {
  Election election(config(), Role::Super);
  NetworkView plenty{.supernodes = 10, .ordinary_nodes = 200};
  election.on_observe(kFast, plenty, 0, at(0));
  ASSERT_EQ(election.on_observe(kFast, plenty, 0, at(20)), ElectionDecision::Demote);
  // Its children went to the nine left: 201 ordinary nodes for 9 supernodes is no shortage.
  for (int t = 30; t <= 1000; t += 10)
    EXPECT_EQ(election.on_observe(kFast, NetworkView{.supernodes = 9, .ordinary_nodes = 201}, 0, at(t)),
              ElectionDecision::Stay);
  EXPECT_EQ(election.role(), Role::Ordinary);
}

}  // namespace
}  // namespace p2p::kazaa
