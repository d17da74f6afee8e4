// Tests of KaZaA's lab summariser on small hand-made telemetry records (the kazaa-node telemetry of
// kazaa/PROTOCOL.md).
#include "labs/launcher/summaries/kazaa.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace p2p::labs {
namespace {

using nlohmann::json;

json event(const std::string& node, const std::string& name, json data, double t = 1) {
  return {{"v", 1},        {"kind", "event"},   {"t", t},
          {"node", node},  {"system", "kazaa"}, {"role", "ordinary"},
          {"event", name}, {"data", data}};
}
json status(const std::string& node, json sys, double t = 50) {
  return {{"v", 1},          {"kind", "status"}, {"t", t}, {"node", node}, {"system", "kazaa"},
          {"role", "super"}, {"sys", sys}};
}
json super_status(const std::string& node, int children) {
  return status(node, {{"role", "super"}, {"supernode", nullptr}, {"children", children}});
}
json child_status(const std::string& node, json supernode) {
  return status(node, {{"role", "ordinary"}, {"supernode", supernode}});
}
json launcher(const std::string& name, const std::string& node, double t) {
  return {{"v", 1},
          {"kind", "event"},
          {"t", t},
          {"node", "launcher"},
          {"system", "launcher"},
          {"role", "launcher"},
          {"event", name},
          {"data", {{"node", node}, {"role", "ordinary"}}}};
}
json exited(const std::string& node, bool expected, double t) {
  json r = launcher("node_exited", node, t);
  r["data"]["expected"] = expected;
  return r;
}
json role(const std::string& node, const std::string& now, const std::string& reason, double t) {
  return event(node, "role", {{"role", now}, {"reason", reason}}, t);
}
json attached(const std::string& node, double join_ms, bool reattach, double t = 1) {
  return event(node, "attached",
               {{"supernode", "127.0.0.1:7000"},
                {"rtt_ms", 4},
                {"join_ms", join_ms},
                {"reattach", reattach},
                {"probes", 5}},
               t);
}
json sent(const std::string& node, const std::string& id, double t = 1) {
  return event(node, "query_sent", {{"id", id}, {"words", "blue moon"}}, t);
}
json searched(const std::string& supernode, const std::string& id, int messages) {
  return event(supernode, "search_done",
               {{"id", id},
                {"local", 2},
                {"matches", 5},
                {"supernodes_contacted", 3},
                {"rounds", 1},
                {"messages", messages}});
}
json done(const std::string& node, const std::string& id, int results, double latency_ms) {
  return event(node, "query_done",
               {{"id", id}, {"results", results}, {"latency_ms", latency_ms}, {"ok", true}});
}
json download(bool ok, double bytes, double size) {
  return event("o1", "download_done", {{"ok", ok}, {"verified", ok}, {"bytes", bytes}, {"size", size}});
}

TEST(KazaaSummaryTest, MessagesHitRatioAndLatencyAreTakenPerQuery) {
  // Three queries: A answered with 4 results after 80 ms, B answered with none, C's answer never came.
  // Supernodes reported 9, 21 and 30 messages; A's search_done arrives twice and counts once.
  json m = kazaa_summary({sent("o1", "A"), sent("o2", "B"), sent("o1", "C"), searched("s0", "A", 9),
                          searched("s0", "A", 99), searched("s1", "B", 21), searched("s0", "C", 30),
                          done("o1", "A", 4, 80), done("o2", "B", 0, 120), done("o9", "unsent", 3, 10)});
  EXPECT_EQ(m["queries"], 3);
  EXPECT_DOUBLE_EQ(m["messages_per_query_mean"].get<double>(), (9 + 21 + 30) / 3.0);
  EXPECT_DOUBLE_EQ(m["hit_ratio"].get<double>(), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(m["latency_ms_median"].get<double>(), 80.0);
}

TEST(KazaaSummaryTest, SupernodesAreThoseSuperAtTheEndAndAlive) {
  // s0 started super; o5 was promoted (role event after its last ordinary status); s1 was killed; s2 was
  // demoted after its last status, so its role event is the newer word.
  // The lab's end stops s0 and o5 as it stops everyone.
  json m = kazaa_summary({launcher("node_started", "s1", 0), role("s0", "super", "start", 0),
                          exited("s0", true, 90), exited("o5", true, 90), role("o5", "ordinary", "start", 0),
                          role("o5", "super", "promoted", 60), role("s2", "ordinary", "demoted", 70),
                          launcher("node_killed", "s1", 30), super_status("s0", 10), super_status("s1", 40),
                          super_status("s2", 3), child_status("o5", "127.0.0.1:7000"),
                          child_status("o1", "127.0.0.1:7000")});
  EXPECT_EQ(m["supernodes"], 2);  // s0 and o5
  // o5 was promoted after its last status: a new supernode, with no children yet.
  EXPECT_DOUBLE_EQ(m["children_per_super_mean"].get<double>(), (10 + 0) / 2.0);
}

TEST(KazaaSummaryTest, ChildrenPerSuperIsTheMeanOfTheSupernodesLastStatus) {
  json m = kazaa_summary({super_status("s0", 10), super_status("s1", 20),
                          status("s1", {{"role", "super"}, {"children", 30}}, 60),
                          child_status("o1", "127.0.0.1:7000")});
  EXPECT_EQ(m["supernodes"], 2);
  EXPECT_DOUBLE_EQ(m["children_per_super_mean"].get<double>(), (10 + 30) / 2.0);
}

TEST(KazaaSummaryTest, ASupernodeNoChildChoseHasNone) {
  // s0 and s1 start as supernodes; only s0 gains children. Their statuses are all from the teardown.
  json ending = launcher("lab_ending", "", 60);
  json m = kazaa_summary({role("s0", "super", "start", 0), role("s1", "super", "start", 0),
                          event("s0", "child_joined", {{"child", "127.0.0.1:7101"}, {"children", 1}}, 5),
                          event("s0", "child_joined", {{"child", "127.0.0.1:7102"}, {"children", 2}}, 6),
                          ending, status("s0", {{"role", "super"}, {"children", 0}}, 60.5),
                          status("s1", {{"role", "super"}, {"children", 0}}, 60.5)});
  EXPECT_EQ(m["supernodes"], 2);
  EXPECT_DOUBLE_EQ(m["children_per_super_mean"].get<double>(), (2 + 0) / 2.0);
}

TEST(KazaaSummaryTest, OrphansAreLiveOrdinaryNodesWithoutASupernode) {
  // o1 is attached; o2 is not; o3 is not but was killed; o4 left gracefully; o5 was killed and restarted,
  // and is without a supernode again; o6 crashed (an exit nobody asked for). At the lab's end the launcher
  // stops everyone: those expected exits, after its lab_ending, leave o2 and o5 orphans at the end.
  std::vector<json> records;
  for (const char* node : {"o1", "o2", "o3", "o4", "o5", "o6"})
    records.push_back(launcher("node_started", node, 0));
  records.insert(
      records.end(),
      {launcher("node_killed", "o3", 30), exited("o3", true, 30.1), launcher("node_left", "o4", 31),
       launcher("node_killed", "o5", 32), launcher("node_restarted", "o5", 40), exited("o6", false, 45),
       launcher("lab_ending", "", 59.5), exited("o1", true, 60), exited("o2", true, 60),
       exited("o5", true, 60), child_status("o1", "127.0.0.1:7000"), child_status("o2", nullptr),
       child_status("o3", nullptr), child_status("o4", nullptr), child_status("o5", nullptr),
       child_status("o6", nullptr)});
  json m = kazaa_summary(records);
  EXPECT_EQ(m["orphans_at_end"], 2);  // o2 and o5
  EXPECT_EQ(m["supernodes"], 0);
  EXPECT_TRUE(m["children_per_super_mean"].is_null());
}

TEST(KazaaSummaryTest, TheNewestOfEventsAndStatusSaysWhereANodeStands) {
  // s0's children: 4 in its status at 50, then a child left at 55. o1 detached at 52 after its status at 50
  // named a supernode; o2 re-attached at 53 after a status without one.
  json m = kazaa_summary(
      {event("s0", "child_left", {{"child", "127.0.0.1:7101"}, {"children", 3}}, 55),
       event("o1", "detached", {{"supernode", "127.0.0.1:7000"}, {"reason", "closed"}}, 52),
       event("o2", "attached", {{"supernode", "127.0.0.1:7000"}, {"reattach", true}}, 53),
       super_status("s0", 4), child_status("o1", "127.0.0.1:7000"), child_status("o2", nullptr)});
  EXPECT_DOUBLE_EQ(m["children_per_super_mean"].get<double>(), 3.0);
  EXPECT_EQ(m["orphans_at_end"], 1);  // o1
}

TEST(KazaaSummaryTest, AnOrdinaryNodeThatNeverAttachedIsAnOrphan) {
  // o1 attached, o2 never did; their statuses are the teardown's.
  json m = kazaa_summary({role("o1", "ordinary", "start", 0), role("o2", "ordinary", "start", 0),
                          attached("o1", 300, false, 2), launcher("lab_ending", "", 60),
                          status("o1", {{"role", "ordinary"}, {"supernode", nullptr}}, 60.5),
                          status("o2", {{"role", "ordinary"}, {"supernode", nullptr}}, 60.5)});
  EXPECT_EQ(m["orphans_at_end"], 1);
}

TEST(KazaaSummaryTest, NothingFromTheTeardownCounts) {
  // At 60 the launcher starts stopping everyone: s0 goes first, so its child o1 detaches and s0's last
  // status says 0 children; o2 re-attaches elsewhere before it is stopped too, and a query sent then never
  // ends. None of it is the run's.
  json ending = launcher("lab_ending", "", 60);
  ending["data"] = {{"reason", "the scenario's duration"}};
  json m =
      kazaa_summary({role("s0", "super", "start", 0), role("o1", "ordinary", "start", 0),
                     event("s0", "child_joined", {{"child", "127.0.0.1:7101"}, {"children", 2}}, 10),
                     attached("o1", 30, false, 10), ending,
                     event("o1", "detached", {{"supernode", "127.0.0.1:7000"}, {"reason", "closed"}}, 60.1),
                     attached("o2", 900, true, 60.2), sent("o2", "late", 60.2), exited("s0", true, 60.3),
                     status("s0", {{"role", "super"}, {"children", 0}}, 60.2),
                     status("o1", {{"role", "ordinary"}, {"supernode", nullptr}}, 60.2)});
  EXPECT_EQ(m["supernodes"], 1);
  EXPECT_DOUBLE_EQ(m["children_per_super_mean"].get<double>(), 2.0);
  EXPECT_EQ(m["orphans_at_end"], 0);
  EXPECT_EQ(m["reattaches"], 0);
  EXPECT_EQ(m["queries"], 0);
}

TEST(KazaaSummaryTest, ReattachTimeIsTheLongestJoinAfterALoss) {
  // First attaches (not re-attaches) do not count, however slow.
  json m = kazaa_summary({attached("o1", 5000, false), attached("o1", 1200, true), attached("o2", 3400, true),
                          attached("o3", 800, true)});
  EXPECT_EQ(m["reattaches"], 3);
  EXPECT_DOUBLE_EQ(m["reattach_s_max"].get<double>(), 3.4);
  EXPECT_TRUE(kazaa_summary({attached("o1", 5000, false)})["reattach_s_max"].is_null());
}

TEST(KazaaSummaryTest, DownloadsAreVerifiedOrCorruptOnlyWhenTheWholeFileArrived) {
  // Verified; a whole file with the wrong hash; a transfer cut short; one refused before a byte.
  json m = kazaa_summary({download(true, 1000, 1000), download(false, 1000, 1000), download(false, 400, 1000),
                          download(false, 0, 0)});
  EXPECT_EQ(m["downloads_verified"], 1);
  EXPECT_EQ(m["downloads_corrupt"], 1);
}

TEST(KazaaSummaryTest, EmptyAndBrokenRecordsGiveNullsNotThrows) {
  json m = kazaa_summary({json("not an object"), json::object(), event("o1", "query_sent", "not an object"),
                          event("o1", "query_sent", {{"id", 7}}), status("s0", "not an object"),
                          event("o1", "attached", {{"reattach", "yes"}, {"join_ms", 100}})});
  EXPECT_EQ(m["queries"], 0);
  EXPECT_EQ(m["supernodes"], 0);
  EXPECT_TRUE(m["messages_per_query_mean"].is_null());
  EXPECT_TRUE(m["hit_ratio"].is_null());
  EXPECT_TRUE(m["latency_ms_median"].is_null());
  EXPECT_TRUE(m["reattach_s_max"].is_null());
  EXPECT_EQ(m["orphans_at_end"], 0);
}

}  // namespace
}  // namespace p2p::labs
