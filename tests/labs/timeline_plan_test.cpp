// Tests of timeline actions, the agenda, and the plan of a run (ids, seeds, links, starts, churn).
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "labs/launcher/lab_plan.h"
#include "labs/launcher/timeline.h"

namespace p2p::labs {
namespace {

TEST(TimelineTest, ParsesEachActionForm) {
  auto kill = parse_action("30 kill server-0");
  ASSERT_TRUE(kill) << kill.reason();
  EXPECT_EQ(kill->kind, TimedAction::Kind::Kill);
  EXPECT_EQ(kill->at, 30);
  EXPECT_EQ(kill->node, "server-0");
  EXPECT_EQ(kill->role, "server");

  auto leave = parse_action("12.5 leave role:peer 5");
  ASSERT_TRUE(leave);
  EXPECT_EQ(leave->kind, TimedAction::Kind::Leave);
  EXPECT_TRUE(leave->node.empty());
  EXPECT_EQ(leave->role, "peer");
  EXPECT_EQ(leave->count, std::optional<std::size_t>(5));

  auto spawn = parse_action("45 spawn peer 10");
  ASSERT_TRUE(spawn);
  EXPECT_EQ(spawn->kind, TimedAction::Kind::Spawn);
  EXPECT_EQ(spawn->role, "peer");
  EXPECT_EQ(spawn->count, std::optional<std::size_t>(10));
  EXPECT_EQ(parse_action("45 spawn peer")->count, std::optional<std::size_t>(1));

  auto restart = parse_action("60 restart role:server");
  ASSERT_TRUE(restart);
  EXPECT_EQ(restart->kind, TimedAction::Kind::Restart);
  EXPECT_EQ(restart->text(), "60 restart role:server");
}

TEST(TimelineTest, ParsesAWindowAndAShare) {
  // A fifth of the peers, SIGKILLed at random moments between 10 s and 30 s.
  auto chaos = parse_action("10..30 kill role:peer 20%");
  ASSERT_TRUE(chaos) << chaos.reason();
  EXPECT_EQ(chaos->at, 10);
  EXPECT_EQ(chaos->until, std::optional<double>(30));
  EXPECT_EQ(chaos->share, std::optional<double>(20));
  EXPECT_FALSE(chaos->count);
  EXPECT_EQ(chaos->text(), "10..30 kill role:peer 20%");
  EXPECT_EQ(parse_action("5..9 restart server-0")->until, std::optional<double>(9));
}

TEST(TimelineTest, RefusesMalformedLines) {
  for (const char* bad :
       {"kill server-0", "30 kill", "-1 kill server-0", "30 nuke server-0", "30 kill server",
        "30 kill server-0 3", "30 restart role:peer 2", "30 spawn peer 0", "30 kill role:peer x",
        "30..20 kill role:peer", "10.. kill role:peer", "10..x kill role:peer", "30 kill role:peer 0%",
        "30 kill role:peer 101%", "30 kill role:peer %", "30 kill server-0 20%", "30 spawn peer 20%",
        "30 restart role:peer 50%"}) {
    EXPECT_FALSE(parse_action(bad)) << bad;
  }
}

TEST(TimelineTest, NodeIdsNameTheirRole) {
  EXPECT_EQ(node_id("peer", 3), "peer-3");
  EXPECT_EQ(role_of("super-node-12"), std::optional<std::string>("super-node"));
  EXPECT_FALSE(role_of("peer"));
  EXPECT_FALSE(role_of("peer-"));
  EXPECT_FALSE(role_of("peer-x"));
}

TEST(AgendaTest, HandsOutDueActionsInTimeThenQueueOrder) {
  Agenda agenda;
  agenda.push(*parse_action("5 kill server-0"));
  agenda.push(*parse_action("1 spawn peer 2"));
  agenda.push(*parse_action("1 kill peer-0"));
  EXPECT_EQ(agenda.next_at(), std::optional<double>(1));
  auto due = agenda.take_due(1);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].kind, TimedAction::Kind::Spawn);  // queued first at the same moment
  EXPECT_EQ(due[1].kind, TimedAction::Kind::Kill);
  EXPECT_TRUE(agenda.take_due(4.9).empty());
  EXPECT_EQ(agenda.take_due(100).size(), 1u);
  EXPECT_TRUE(agenda.empty());
}

Scenario two_roles() {
  std::istringstream ini(R"(
seed = 5
[role.server]
binary = s
[role.peer]
count = 10
binary = p
link = adsl:50,fibre:50
arrival = flash:4
start_at = 2
[timeline]
at = 3 kill server-0
)");
  return *parse_scenario(ini, "x.ini", {});
}

TEST(LabPlanTest, PlansEveryNodeWithItsLinkAndArrival) {
  Scenario s = two_roles();
  LabPlan plan = plan_lab(s);
  ASSERT_EQ(plan.nodes.size(), 11u);
  EXPECT_EQ(plan.nodes[0].id, "server-0");
  EXPECT_EQ(plan.nodes[0].link, "");
  EXPECT_EQ(plan.nodes[1].id, "peer-0");
  EXPECT_EQ(plan.nodes[10].index, 10u);
  std::size_t adsl = 0;
  for (std::size_t i = 1; i < 11; ++i) adsl += plan.nodes[i].link == "adsl";
  EXPECT_EQ(adsl, 5u);

  // The server starts at 0; the peers within [2, 6); the kill is queued among them at 3.
  auto first = plan.agenda.take_due(0);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].node, "server-0");
  auto rest = plan.agenda.take_due(6);
  EXPECT_EQ(rest.size(), 11u);
  for (const TimedAction& a : rest) {
    if (a.kind == TimedAction::Kind::Start) {
      EXPECT_GE(a.at, 2);
    }
  }
}

TEST(LabPlanTest, ReplaysFromTheSeedAndGivesEachNodeItsOwnSeed) {
  Scenario s = two_roles();
  LabPlan a = plan_lab(s), b = plan_lab(s);
  for (std::size_t i = 0; i < a.nodes.size(); ++i) EXPECT_EQ(a.nodes[i].link, b.nodes[i].link);
  EXPECT_EQ(a.agenda.take_due(100).back().at, b.agenda.take_due(100).back().at);
  std::set<std::uint64_t> seeds;
  for (std::size_t i = 0; i < 100; ++i) seeds.insert(node_seed(s.seed, i));
  EXPECT_EQ(seeds.size(), 100u);
  EXPECT_EQ(node_seed(5, 3), node_seed(5, 3));
  EXPECT_NE(node_seed(5, 3), node_seed(6, 3));
}

TEST(LabPlanTest, ChurnQueuesADepartureAndARejoinForOneLife) {
  ChurnSpec churn{*Distribution::parse("fixed:10"), 0.0, *Distribution::parse("fixed:4")};
  Rng rng(1);
  auto actions = churn_actions(churn, "peer-2", "peer", 3, 7, rng);
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].kind, TimedAction::Kind::Kill);  // graceful share 0: always SIGKILL
  EXPECT_EQ(actions[0].at, 13);
  EXPECT_EQ(actions[0].life, 7u);
  EXPECT_EQ(actions[1].kind, TimedAction::Kind::Restart);
  EXPECT_EQ(actions[1].at, 17);
  EXPECT_TRUE(churn_actions(ChurnSpec{}, "peer-2", "peer", 3, 1, rng).empty());
}

TEST(LabPlanTest, SpreadsAWindowsActsOverItFromTheSeed) {
  // 30 % of 10 peers is 3 kills of one random peer each, at seeded times within [10, 20].
  Scenario s = two_roles();
  s.timeline = {*parse_action("10..20 kill role:peer 30%"), *parse_action("40..50 restart server-0")};
  LabPlan plan = plan_lab(s);
  std::vector<TimedAction> acts;
  for (const TimedAction& a : plan.agenda.take_due(100)) {
    if (a.kind != TimedAction::Kind::Start) acts.push_back(a);
  }
  ASSERT_EQ(acts.size(), 4u);
  std::set<double> times;
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(acts[i].kind, TimedAction::Kind::Kill);
    EXPECT_EQ(acts[i].role, "peer");
    EXPECT_EQ(acts[i].count, std::optional<std::size_t>(1));
    EXPECT_GE(acts[i].at, 10);
    EXPECT_LE(acts[i].at, 20);
    times.insert(acts[i].at);
  }
  EXPECT_EQ(times.size(), 3u);
  EXPECT_EQ(acts[3].node, "server-0");
  EXPECT_GE(acts[3].at, 40);
  EXPECT_LE(acts[3].at, 50);

  // The same seed replays the same moments; another seed draws others.
  LabPlan again = plan_lab(s);
  auto replay = again.agenda.take_due(100);
  EXPECT_EQ(replay.back().at, acts.back().at);
  s.seed = 6;
  LabPlan other = plan_lab(s);
  EXPECT_NE(other.agenda.take_due(100).back().at, acts.back().at);

  // A share too small to round to one node does nothing.
  s.timeline = {*parse_action("10 kill role:peer 1%")};
  EXPECT_EQ(plan_lab(s).agenda.take_due(100).size(), 11u);  // the starts alone
}

TEST(LabPlanTest, SpawnedNodesDrawTheirLinkFromTheMix) {
  Scenario s = two_roles();
  PlannedNode n = plan_extra_node(s, *s.role("peer"), 11, 10);
  EXPECT_EQ(n.id, "peer-10");
  EXPECT_EQ(n.index, 11u);
  EXPECT_TRUE(n.link == "adsl" || n.link == "fibre");
  EXPECT_EQ(plan_extra_node(s, *s.role("server"), 12, 1).link, "");
}

}  // namespace
}  // namespace p2p::labs
