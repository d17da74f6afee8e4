// Tests of Napster's lab summariser on small hand-made telemetry records.
#include "labs/launcher/summaries/napster.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace p2p::labs {
namespace {

using nlohmann::json;

json launcher(double t, const std::string& event, const std::string& node, const std::string& role) {
  return {{"v", 1},
          {"kind", "event"},
          {"t", t},
          {"node", "launcher"},
          {"system", "launcher"},
          {"role", "launcher"},
          {"event", event},
          {"data", {{"node", node}, {"role", role}}}};
}
json peer_event(double t, const std::string& event, json data) {
  return {{"v", 1},         {"kind", "event"}, {"t", t},      {"node", "peer-1"}, {"system", "napster"},
          {"role", "peer"}, {"event", event},  {"data", data}};
}
json search(double t, bool ok) {
  return peer_event(t, "search_done", {{"ok", ok}, {"results", ok ? 3 : 0}});
}
json download(double t, bool ok, json md5_ok, double duration) {
  return peer_event(t, "download_done",
                    {{"ok", ok}, {"md5_ok", md5_ok}, {"bytes", 10}, {"duration_s", duration}});
}

TEST(NapsterSummaryTest, SplitsSearchesAroundTheServersOutage) {
  // The server dies at 30 s and comes back at 60 s; a peer node is killed too, which must not count.
  std::vector<json> records = {
      launcher(0, "node_started", "server-0", "server"),
      search(10, true),
      search(20, true),
      search(25, false),
      search(29, true),
      launcher(28, "node_killed", "peer-7", "peer"),
      launcher(30, "node_killed", "server-0", "server"),
      search(35, false),
      search(50, false),
      launcher(60, "node_restarted", "server-0", "server"),
      search(61, false),  // the peer had not logged in again yet
      search(65, true),
      search(70, true),
      search(79.9, true),
      search(85, false),  // more than 20 s after the restart: in no window
  };
  json m = napster_summary(records);
  EXPECT_DOUBLE_EQ(m["search_success_before"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(m["search_success_outage"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(m["search_success_after"].get<double>(), 0.75);
  EXPECT_EQ(m["server_killed_at"], 30.0);
  EXPECT_EQ(m["server_restarted_at"], 60.0);
  EXPECT_EQ(m["searches_outage"], 2);
}

TEST(NapsterSummaryTest, ASearchCountsWhenItWasSentNotWhenItsAnswerArrived) {
  // Sent at 29.95 s, answered at 30.05 s over a slow downlink: the server answered it before it died.
  json late_answer = peer_event(30.05, "search_done", {{"ok", true}, {"results", 3}, {"latency_ms", 100}});
  std::vector<json> records = {
      launcher(30, "node_killed", "server-0", "server"),
      late_answer,
      search(31, false),
  };
  json m = napster_summary(records);
  EXPECT_DOUBLE_EQ(m["search_success_before"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(m["search_success_outage"].get<double>(), 0.0);
  EXPECT_EQ(m["searches_outage"], 1);
}

TEST(NapsterSummaryTest, CountsVerifiedCorruptAndOutageSurvivingDownloads) {
  std::vector<json> records = {
      download(12, true, true, 2),  // before the outage
      launcher(30, "node_killed", "server-0", "server"),
      download(31, false, nullptr, 1),  // broken transfer: neither verified nor corrupt
      download(33, false, false, 8),    // whole file, wrong MD5: corrupt
      download(40, true, true, 15),     // started at 25 s, before the kill: survived
      download(45, true, true, 20),     // started at 25 s: survived
      download(50, true, true, 5),      // started at 45 s, after the kill: verified only
      launcher(60, "node_restarted", "server-0", "server"),
  };
  json m = napster_summary(records);
  EXPECT_EQ(m["downloads_verified"], 4);
  EXPECT_EQ(m["downloads_corrupt"], 1);
  EXPECT_EQ(m["transfers_survived_outage"], 2);
}

TEST(NapsterSummaryTest, ARunWithoutAKillHasOnlyABeforeFigure) {
  json m = napster_summary({search(1, true), search(2, false), download(3, true, true, 1)});
  EXPECT_DOUBLE_EQ(m["search_success_before"].get<double>(), 0.5);
  EXPECT_TRUE(m["search_success_outage"].is_null());
  EXPECT_TRUE(m["search_success_after"].is_null());
  EXPECT_EQ(m["transfers_survived_outage"], 0);
  EXPECT_EQ(m["downloads_verified"], 1);
}

TEST(NapsterSummaryTest, SkipsMalformedRecordsAndReportsEmptyWindowsAsNull) {
  std::vector<json> records = {
      json::array(),
      {{"kind", "event"}, {"system", "napster"}, {"event", "search_done"}},  // no time
      peer_event(5, "search_done", "not an object"),
      peer_event(6, "download_done", {{"ok", "yes"}, {"md5_ok", 1}}),
      launcher(30, "node_killed", "server-0", "server"),
  };
  json m = napster_summary(records);
  EXPECT_DOUBLE_EQ(m["search_success_before"].get<double>(), 0.0);  // the one timed search had no "ok"
  EXPECT_TRUE(m["search_success_outage"].is_null());
  EXPECT_EQ(m["downloads_verified"], 0);
  EXPECT_EQ(m["downloads_corrupt"], 0);
}

json online(double t, const std::string& peer) {
  json r = peer_event(t, "server_state", {{"state", "online"}, {"reason", "logged in"}});
  r["node"] = peer;
  return r;
}

TEST(NapsterSummaryTest, CountsThePeersThatLoggedInAgainAfterEachServerRestart) {
  // The server is killed at 10 s and 30 s and restarted at 15 s and 35 s; the run ends at 50 s. peer-1 logs
  // in after both restarts (1 s and 2 s late); peer-2 only after the first, then dies at 40 s, so it owes
  // nothing for the second; peer-3 never logs in again.
  std::vector<json> records = {launcher(0, "node_started", "server-0", "server"),
                               launcher(0, "node_started", "peer-1", "peer"),
                               launcher(0, "node_started", "peer-2", "peer"),
                               launcher(0, "node_started", "peer-3", "peer"),
                               launcher(10, "node_killed", "server-0", "server"),
                               launcher(15, "node_restarted", "server-0", "server"),
                               online(16, "peer-1"),
                               online(15.5, "peer-2"),
                               launcher(30, "node_killed", "server-0", "server"),
                               launcher(35, "node_restarted", "server-0", "server"),
                               online(37, "peer-1"),
                               launcher(40, "node_killed", "peer-2", "peer"),
                               search(50, true)};
  json m = napster_summary(records);
  EXPECT_EQ(m["server_restarts"], 2) << m.dump(2);
  EXPECT_EQ(m["relogins_expected"], 5);  // 3 peers for the first life, peers 1 and 3 for the second
  EXPECT_EQ(m["relogins"], 3);
  EXPECT_DOUBLE_EQ(m["relogin_s_max"].get<double>(), 2);
  EXPECT_FALSE(napster_summary({search(1, true)}).contains("server_restarts"));
}

}  // namespace
}  // namespace p2p::labs
