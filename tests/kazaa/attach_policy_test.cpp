// The attach policy: a fresh list from the first candidate that answers, the lowest RTT of five, refusals,
// timed-out probes, re-attaching after the supernode dies, and being stranded when none takes the node.
#include "kazaa/attach_policy.h"

#include <gtest/gtest.h>

#include <vector>

namespace p2p::kazaa {
namespace {

using Kind = AttachAction::Kind;

const Endpoint kSelf{"10.0.0.1", 1214};

TimePoint at(double s) {
  return TimePoint{} + from_seconds(s);
}
// Supernodes differ by port, so that the list's address order is their number's.
Endpoint sn(int n) {
  return Endpoint{"10.0.1.1", static_cast<std::uint16_t>(2000 + n)};
}
std::vector<SupernodeEntry> entries(std::vector<int> numbers) {
  std::vector<SupernodeEntry> out;
  for (int n : numbers) out.push_back({sn(n), 0, 0});
  return out;
}
std::vector<Endpoint> sns(std::vector<int> numbers) {
  std::vector<Endpoint> out;
  for (int n : numbers) out.push_back(sn(n));
  return out;
}

// A policy that shipped with supernodes 1 and 2, got a fresh list of 1..9 from supernode 1 at t=1 and
// pinged 1..5: the state every test below starts from, unless it tests the joining itself.
AttachPolicy pinged_five() {
  AttachPolicy policy(kSelf, entries({1, 2}));
  policy.on_start(at(0));
  AttachAction ping = policy.on_list(sn(1), entries({1, 2, 3, 4, 5, 6, 7, 8, 9}), at(1));
  EXPECT_EQ(ping.kind, Kind::Ping);
  EXPECT_EQ(ping.to, sns({1, 2, 3, 4, 5}));
  return policy;
}

TEST(AttachPolicyTest, TriesShippedCandidatesOneAtATimeUntilOneAnswers) {
  AttachPolicy policy(kSelf, entries({1, 2, 3}));
  AttachAction first = policy.on_start(at(0));
  EXPECT_EQ(first.kind, Kind::AskForList);
  EXPECT_EQ(first.to, sns({1}));
  EXPECT_EQ(first.wake_at, at(3));
  // Supernode 1 refuses the connection: on to 2.
  AttachAction second = policy.on_lost(sn(1), at(0.1));
  EXPECT_EQ(second.to, sns({2}));
  // A timer set for the first request fires late: it changes nothing.
  EXPECT_EQ(policy.on_timer(at(3)).kind, Kind::Nothing);
  // Supernode 2 stays silent until its deadline: on to 3.
  AttachAction third = policy.on_timer(at(3.1));
  EXPECT_EQ(third.kind, Kind::AskForList);
  EXPECT_EQ(third.to, sns({3}));
  // Supernode 3 answers with a fresh list: ping five of it, never the one that refused the connection.
  AttachAction ping = policy.on_list(sn(3), entries({1, 3, 4, 5, 6, 7, 8}), at(4));
  EXPECT_EQ(ping.kind, Kind::Ping);
  EXPECT_EQ(ping.to, sns({3, 4, 5, 6, 7}));
  EXPECT_EQ(policy.state(), AttachState::AwaitingPongs);
}

TEST(AttachPolicyTest, AttachesToTheLowestRttOfFiveAndTheLowerLoadOnATie) {
  AttachPolicy policy = pinged_five();
  EXPECT_EQ(policy.on_pong(sn(1), milliseconds(80), 10, at(1.1)).kind, Kind::Nothing);
  policy.on_pong(sn(2), milliseconds(30), 70, at(1.1));
  policy.on_pong(sn(3), milliseconds(50), 10, at(1.1));
  policy.on_pong(sn(4), milliseconds(30), 20, at(1.1));
  // The fifth pong completes the set: 2 and 4 share the smallest RTT, and 4 carries less load.
  AttachAction attach = policy.on_pong(sn(5), milliseconds(90), 0, at(1.2));
  EXPECT_EQ(attach.kind, Kind::Attach);
  EXPECT_EQ(attach.to, sns({4}));
  policy.on_accepted(sn(4), at(1.3));
  EXPECT_EQ(policy.state(), AttachState::Attached);
  EXPECT_EQ(policy.supernode(), sn(4));
  EXPECT_EQ(policy.last_join(), from_seconds(1.3));
  EXPECT_EQ(policy.reattaches(), 0u);
}

TEST(AttachPolicyTest, ATimedOutProbeIsUnusable) {
  AttachPolicy policy = pinged_five();
  policy.on_pong(sn(1), milliseconds(80), 0, at(1.1));
  policy.on_pong(sn(2), milliseconds(60), 0, at(1.1));
  policy.on_pong(sn(3), milliseconds(70), 0, at(1.1));
  policy.on_pong(sn(4), milliseconds(90), 0, at(1.1));
  // Supernode 5 never answers; at the probe deadline the node settles for the best of the four.
  EXPECT_EQ(policy.on_timer(at(2.9)).kind, Kind::Nothing);
  AttachAction attach = policy.on_timer(at(3));
  EXPECT_EQ(attach.kind, Kind::Attach);
  EXPECT_EQ(attach.to, sns({2}));
  // Its pong comes late with the best RTT of all: the choice stands, and 5 is not asked when 2 refuses.
  EXPECT_EQ(policy.on_pong(sn(5), milliseconds(10), 0, at(3.1)).kind, Kind::Nothing);
  EXPECT_EQ(policy.on_refused(sn(2), {}, at(3.2)).to, sns({3}));
}

TEST(AttachPolicyTest, MovesOnWhenRefusedAndMergesTheAlternatives) {
  AttachPolicy policy = pinged_five();
  for (int n = 1; n <= 5; ++n) policy.on_pong(sn(n), milliseconds(10 * n), 0, at(1.1));
  // Supernode 1 (10 ms) is full and names 20 and 21: the node asks the next best, 2 (20 ms).
  AttachAction next = policy.on_refused(sn(1), entries({20, 21}), at(1.2));
  EXPECT_EQ(next.kind, Kind::Attach);
  EXPECT_EQ(next.to, sns({2}));
  EXPECT_TRUE(policy.list().contains(sn(20)));
  // A refusal from someone it did not ask does not move it on.
  EXPECT_EQ(policy.on_refused(sn(7), {}, at(1.3)).kind, Kind::Nothing);
  // 2 to 5 refuse as well: five not yet pinged are probed, the alternatives first, as the freshest news.
  policy.on_refused(sn(2), {}, at(1.3));
  policy.on_refused(sn(3), {}, at(1.4));
  policy.on_refused(sn(4), {}, at(1.5));
  AttachAction ping = policy.on_refused(sn(5), {}, at(1.6));
  EXPECT_EQ(ping.kind, Kind::Ping);
  EXPECT_EQ(ping.to, sns({20, 21, 6, 7, 8}));
}

TEST(AttachPolicyTest, ReattachesAfterHeartbeatLossWithoutRetryingTheDeadOne) {
  AttachPolicy policy = pinged_five();
  for (int n = 1; n <= 5; ++n) policy.on_pong(sn(n), milliseconds(10 * n), 0, at(1.1));
  policy.on_accepted(sn(1), at(1.2));
  ASSERT_EQ(policy.supernode(), sn(1));
  // Heartbeats from supernode 1 stop; the core reports the loss at t=30.
  AttachAction ask = policy.on_lost(sn(1), at(30));
  EXPECT_EQ(ask.kind, Kind::AskForList);
  EXPECT_EQ(ask.to, sns({2}));
  EXPECT_FALSE(policy.supernode().has_value());
  EXPECT_TRUE(policy.list().is_dead(sn(1)));
  // Supernode 2's fresh list still names 1 (it has not noticed yet): the dead one is not pinged. Those in
  // the fresh list come first, then 4 and 5, last heard of at t=1.1.
  std::vector<SupernodeEntry> fresh{{sn(1), 0, 5}, {sn(2), 0, 0}, {sn(3), 0, 0}, {sn(6), 0, 0}};
  AttachAction ping = policy.on_list(sn(2), fresh, at(30.1));
  EXPECT_EQ(ping.to, sns({2, 3, 6, 4, 5}));
  policy.on_pong(sn(2), milliseconds(40), 0, at(30.2));
  policy.on_pong(sn(3), milliseconds(20), 0, at(30.2));
  policy.on_pong(sn(6), milliseconds(30), 0, at(30.2));
  // 4 and 5 left with 1 and do not answer: at the probe deadline, 3 is the best.
  AttachAction attach = policy.on_timer(at(32.1));
  EXPECT_EQ(attach.to, sns({3}));
  policy.on_accepted(sn(3), at(32.2));
  EXPECT_EQ(policy.supernode(), sn(3));
  EXPECT_EQ(policy.reattaches(), 1u);
  EXPECT_EQ(policy.last_join(), from_seconds(32.2) - from_seconds(30));
}

TEST(AttachPolicyTest, WhenEveryCandidateFailsItWaitsAndStartsOverFromTheShippedList) {
  AttachPolicy policy(kSelf, entries({1, 2}));
  policy.on_start(at(0));
  policy.on_lost(sn(1), at(0.1));
  AttachAction wait = policy.on_lost(sn(2), at(0.2));
  EXPECT_EQ(wait.kind, Kind::Nothing);
  EXPECT_EQ(wait.wake_at, at(5.2));
  EXPECT_EQ(policy.state(), AttachState::AwaitingRetry);
  EXPECT_EQ(policy.on_timer(at(5)).kind, Kind::Nothing);
  // The shipped list gets another chance, the two that failed included.
  AttachAction again = policy.on_timer(at(5.2));
  EXPECT_EQ(again.kind, Kind::AskForList);
  EXPECT_EQ(again.to, sns({1}));
}

// Shipped with supernode 1, which hands out 1 and 2; each answers its ping with `loads[i]` and refuses the
// login. Returns the policy once its join has run out of candidates, at t=1.4.
AttachPolicy refused_by_both(std::uint8_t load_1, std::uint8_t load_2) {
  AttachPolicy policy(kSelf, entries({1}));
  policy.on_start(at(0));
  EXPECT_EQ(policy.on_list(sn(1), entries({1, 2}), at(1)).to, sns({1, 2}));
  policy.on_pong(sn(1), milliseconds(10), load_1, at(1.1));
  EXPECT_EQ(policy.on_pong(sn(2), milliseconds(20), load_2, at(1.1)).to, sns({1}));
  EXPECT_EQ(policy.on_refused(sn(1), {}, at(1.2)).to, sns({2}));
  EXPECT_FALSE(policy.stranded_round());
  EXPECT_EQ(policy.on_refused(sn(2), {}, at(1.4)).kind, Kind::Nothing);
  EXPECT_EQ(policy.state(), AttachState::AwaitingRetry);
  return policy;
}

TEST(AttachPolicyTest, IsStrandedOnceAFullSupernodeAndEveryOtherItKnowsRefusedIt) {
  // Supernode 1 is full; 2 is an ordinary node (it reports no load, and refuses every login).
  AttachPolicy policy = refused_by_both(kFullLoad, 0);
  EXPECT_EQ(policy.stranded_round(), at(0));
  // Stranded, it tries again after 2 s rather than 5 (AttachPolicyConfig::stranded_retry_after), and the
  // round begun then fails the same way: it is the latest stranded round.
  EXPECT_EQ(policy.state(), AttachState::AwaitingRetry);
  EXPECT_EQ(policy.on_timer(at(3.4)).kind, Kind::AskForList);
  policy.on_list(sn(1), entries({1, 2}), at(3.5));
  policy.on_pong(sn(1), milliseconds(10), kFullLoad, at(3.6));
  policy.on_pong(sn(2), milliseconds(20), 0, at(3.6));
  policy.on_refused(sn(1), {}, at(3.7));
  AttachAction retry = policy.on_refused(sn(2), {}, at(3.8));
  EXPECT_EQ(retry.wake_at, at(5.8));
  EXPECT_EQ(policy.stranded_round(), at(3.4));
  // Supernode 1 names a new one, 3, with room; 1 and 2 do not answer their pings this time. 3 takes it: no
  // longer stranded.
  policy.on_timer(at(5.8));
  policy.on_list(sn(1), entries({3}), at(5.9));
  policy.on_pong(sn(3), milliseconds(10), 50, at(6));
  EXPECT_EQ(policy.on_timer(at(7.9)).to, sns({3}));
  EXPECT_EQ(policy.stranded_round(), at(3.4));
  policy.on_accepted(sn(3), at(8));
  ASSERT_EQ(policy.supernode(), sn(3));
  EXPECT_FALSE(policy.stranded_round());
}

TEST(AttachPolicyTest, IsNotStrandedByNodesThatReportRoomOrNoLoad) {
  // Before any node has stepped up, every address a node knows is an ordinary node: none of them is full,
  // and the refusals say nothing of how many the supernodes could take.
  AttachPolicy policy = refused_by_both(0, 40);
  EXPECT_FALSE(policy.stranded_round());
  // Nor does it retry sooner: the round ended at 1.4, the next begins 5 s later.
  EXPECT_EQ(policy.on_timer(at(6.3)).kind, Kind::Nothing);
  EXPECT_EQ(policy.on_timer(at(6.4)).kind, Kind::AskForList);
}

}  // namespace
}  // namespace p2p::kazaa
