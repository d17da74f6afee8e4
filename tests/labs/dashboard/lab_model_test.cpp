// Tests of the dashboard's model: node table, states from launcher events, counter rates, event log, rate
// history.
#include "labs/dashboard/lab_model.h"

#include <gtest/gtest.h>

#include "tests/labs/dashboard/records.h"

namespace p2p::dashboard {
namespace {

using testing::event;
using testing::launcher;
using testing::status;

TEST(RingTest, KeepsTheNewestItemsOldestFirst) {
  Ring<int> ring(3);
  for (int i = 1; i <= 5; ++i) ring.push(i);
  ASSERT_EQ(ring.size(), 3u);
  EXPECT_EQ(ring[0], 3);
  EXPECT_EQ(ring[1], 4);
  EXPECT_EQ(ring[2], 5);
  EXPECT_EQ(ring.newest(), 5);
}

TEST(LabModelTest, BuildsOneNodePerPublisherFromStatusRecords) {
  LabModel lab;
  // A server and two peers each publish a status; the second peer publishes twice.
  lab.apply(status("server-0", "server", 100, 8000, 16000, 2, {{"files", 40}}), 1.0);
  lab.apply(status("peer-1", "peer", 100, 1000, 2000, 1, {{"server_state", "online"}}), 1.0);
  lab.apply(status("peer-2", "peer", 100, 500, 0, 1), 1.0);
  lab.apply(status("peer-2", "peer", 100.5, 700, 300, 1), 1.5);

  ASSERT_EQ(lab.nodes().size(), 3u);
  const Node* peer = lab.find("peer-2");
  ASSERT_NE(peer, nullptr);
  EXPECT_EQ(peer->role, "peer");
  EXPECT_EQ(peer->system, "napster");
  EXPECT_EQ(peer->state, NodeState::Alive);
  EXPECT_EQ(peer->up_bps, 700);
  EXPECT_EQ(peer->down_bps, 300);
  EXPECT_EQ(peer->conns, 1u);
  EXPECT_EQ(peer->last_update, 1.5);
  EXPECT_EQ(lab.find("server-0")->sys["files"], 40);
  EXPECT_EQ(lab.roles(), (std::vector<std::string>{"peer", "server"}));
  EXPECT_EQ(lab.records(), 4u);
}

TEST(LabModelTest, LauncherKillMarksTheNodeDeadAndDropsItsRates) {
  LabModel lab;
  lab.apply(status("peer-3", "peer", 100, 1000, 1000, 4), 1.0);
  lab.apply(launcher(101, "node_killed", "peer-3"), 2.0);

  const Node* node = lab.find("peer-3");
  EXPECT_EQ(node->state, NodeState::Dead);
  EXPECT_EQ(node->up_bps, 0);
  EXPECT_EQ(node->conns, 0u);
  EXPECT_EQ(lab.count(NodeState::Dead), 1u);
  EXPECT_EQ(lab.current_rates().up_bps, 0);
}

TEST(LabModelTest, AStatusStillInFlightAfterAKillDoesNotReviveTheNode) {
  LabModel lab;
  lab.apply(launcher(101, "node_killed", "peer-3"), 1.0);
  // The status the node sent just before SIGKILL arrives after the launcher's event.
  lab.apply(status("peer-3", "peer", 100.9, 1000, 1000, 4), 1.1);

  EXPECT_EQ(lab.find("peer-3")->state, NodeState::Dead);
  EXPECT_EQ(lab.find("peer-3")->up_bps, 0);
}

TEST(LabModelTest, ListeningRevivesARestartedNodeAndRecordsWhereItListens) {
  LabModel lab;
  lab.apply(launcher(100, "node_killed", "server-0", "server"), 1.0);
  nlohmann::json restarted = launcher(105, "node_restarted", "server-0", "server");
  restarted["data"]["pid"] = 700;
  lab.apply(restarted, 6.0);
  EXPECT_EQ(lab.find("server-0")->pid, 700);  // the launcher names the new process before the node speaks
  lab.apply(event("server-0", "server", 105.1, "listening", {{"listen", "127.0.0.1:4321"}, {"pid", 777}}),
            6.1);

  const Node* node = lab.find("server-0");
  EXPECT_EQ(node->state, NodeState::Alive);
  EXPECT_EQ(node->restarts, 1u);
  EXPECT_EQ(node->listen, "127.0.0.1:4321");
  EXPECT_EQ(node->pid, 777);
  EXPECT_EQ(node->role, "server");
}

TEST(LabModelTest, ANodeThatLeftStaysLeftWhenItsProcessExits) {
  LabModel lab;
  lab.apply(status("peer-1", "peer", 100), 1.0);
  lab.apply(launcher(101, "node_left", "peer-1"), 2.0);
  lab.apply(launcher(103, "node_exited", "peer-1"), 4.0);
  lab.apply(launcher(103, "node_exited", "peer-2"), 4.0);

  EXPECT_EQ(lab.find("peer-1")->state, NodeState::Left);
  EXPECT_EQ(lab.find("peer-2")->state, NodeState::Dead);
}

TEST(LabModelTest, CounterRateIsTheGrowthBetweenTheLastTwoStatuses) {
  LabModel lab;
  lab.apply(status("server-0", "server", 100, 0, 0, 0, {{"searches", 10}}), 1.0);
  EXPECT_FALSE(lab.find("server-0")->rate_of("searches"));  // one sample is no rate

  lab.apply(status("server-0", "server", 102, 0, 0, 0, {{"searches", 30}}), 3.0);
  ASSERT_TRUE(lab.find("server-0")->rate_of("searches"));
  EXPECT_DOUBLE_EQ(*lab.find("server-0")->rate_of("searches"), 10.0);

  // After a restart the counter starts again from zero: no negative rate.
  lab.apply(status("server-0", "server", 103, 0, 0, 0, {{"searches", 2}}), 4.0);
  EXPECT_FALSE(lab.find("server-0")->rate_of("searches"));
  EXPECT_FALSE(lab.find("server-0")->rate_of("no_such_field"));
}

TEST(LabModelTest, TheLaunchersOwnStatusIsNotANode) {
  LabModel lab;
  lab.apply(status("launcher", "launcher", 100, 0, 0, 0, {}, "launcher"), 1.0);
  EXPECT_TRUE(lab.nodes().empty());
}

TEST(LabModelTest, EventLogKeepsTheNewestAndNamesTheNodeALauncherEventIsAbout) {
  LabModel lab(/*log_capacity=*/3);
  lab.apply(event("peer-1", "peer", 100, "search_done", {{"ok", true}}), 1.0);
  lab.apply(launcher(101, "node_started", "peer-2"), 2.0);
  lab.apply(launcher(102, "node_killed", "peer-2"), 3.0);
  lab.apply(event("peer-1", "peer", 103, "server_state", {{"state", "online"}}), 4.0);

  const Ring<LoggedEvent>& log = lab.events();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].name, "node_started");
  EXPECT_EQ(log[0].node, "peer-2");
  EXPECT_EQ(log[0].source, "launcher");
  EXPECT_EQ(log.newest().name, "server_state");
  EXPECT_EQ(log.newest().data["state"], "online");
  // Each node also keeps its own events for the detail view.
  EXPECT_EQ(lab.find("peer-2")->events.size(), 2u);
  EXPECT_EQ(lab.find("peer-1")->events.size(), 2u);
}

TEST(LabModelTest, RateHistorySumsLiveNodesOncePerSample) {
  LabModel lab(/*log_capacity=*/10, /*history_capacity=*/2);
  lab.apply(status("peer-1", "peer", 100, 1000, 10), 1.0);
  lab.apply(status("peer-2", "peer", 100, 3000, 30), 1.0);
  lab.sample_rates();
  lab.apply(launcher(101, "node_killed", "peer-2"), 2.0);
  lab.sample_rates();
  lab.sample_rates();

  ASSERT_EQ(lab.history().size(), 2u);  // capacity 2: the first sample is gone
  EXPECT_EQ(lab.history()[0].up_bps, 1000);
  EXPECT_EQ(lab.history()[1].down_bps, 10);
}

TEST(LabModelTest, TheLaunchersNodeListSeedsNodesStartedBeforeTheDashboard) {
  LabModel lab;
  // labs/launcher's reply: ids, roles and supervisor states; a node still waiting to arrive has no process.
  nlohmann::json reply = {
      {"ok", true},
      {"nodes",
       {{{"id", "server-0"}, {"role", "server"}, {"state", "up"}, {"listen", "127.0.0.1:8888"}},
        {{"id", "peer-1"}, {"role", "peer"}, {"state", "killed"}, {"pid", 42}, {"host", "pc02"}},
        {{"id", "peer-2"}, {"role", "peer"}, {"state", "leaving"}},
        {{"id", "peer-3"}, {"role", "peer"}, {"state", "waiting"}},
        "peer-4",
        {{"role", "peer"}}}}};
  lab.apply_node_list(reply, 5.0);

  ASSERT_EQ(lab.nodes().size(), 4u);
  EXPECT_EQ(lab.find("server-0")->state, NodeState::Alive);
  EXPECT_EQ(lab.find("server-0")->listen, "127.0.0.1:8888");
  EXPECT_EQ(lab.find("peer-1")->state, NodeState::Dead);
  EXPECT_EQ(lab.find("peer-1")->pid, 42);
  EXPECT_EQ(lab.find("peer-1")->host, "pc02");  // a lab across hosts names each node's
  EXPECT_EQ(lab.find("server-0")->host, "");
  EXPECT_EQ(lab.find("peer-2")->state, NodeState::Left);
  EXPECT_EQ(lab.find("peer-3"), nullptr);
  EXPECT_EQ(lab.find("peer-4")->state, NodeState::Alive);

  lab.apply_node_list({{"ok", false}, {"error", "nope"}}, 6.0);  // no list: nothing changes
  EXPECT_EQ(lab.nodes().size(), 4u);
}

TEST(LabModelTest, TheLaunchersLabEndedEventCarriesItsClosingMessage) {
  LabModel lab;
  EXPECT_EQ(lab.ended(), "");
  lab.apply(telemetry::make_event({"launcher", "launcher", "launcher"}, 200, "lab_ended",
                                  {{"reason", "duration"}, {"message", "the run has ended; press q"}}),
            9.0);
  EXPECT_EQ(lab.ended(), "the run has ended; press q");
  EXPECT_EQ(lab.events().newest().name, "lab_ended");
}

}  // namespace
}  // namespace p2p::dashboard
