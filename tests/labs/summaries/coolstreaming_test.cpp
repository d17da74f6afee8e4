// Tests of CoolStreaming's lab summariser on small hand-made telemetry records.
#include "labs/launcher/summaries/coolstreaming.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace p2p::labs {
namespace {

using nlohmann::json;

json record(const std::string& node, const std::string& role, json fields) {
  json r = {{"v", 1}, {"t", 1.0}, {"node", node}, {"system", "coolstreaming"}, {"role", role}};
  r.update(fields);
  return r;
}
json event(const std::string& node, const std::string& name, json data) {
  return record(node, "peer", {{"kind", "event"}, {"event", name}, {"data", data}});
}
// A peer's status, as coolstreaming/PROTOCOL.md lays it out; `played` false leaves the player's figures null.
json status(const std::string& node, bool played, double continuity, double video, double control,
            double server, int attempts) {
  json sys = {{"overlay", "mesh"},
              {"uploading", true},
              {"window_start", 10},
              {"window_length", 120},
              {"bitmap", "ff"},
              {"play_point", nullptr},
              {"partners", json::array()},
              {"parent", nullptr},
              {"children", 0},
              {"continuity", nullptr},
              {"due", 0},
              {"on_time", 0},
              {"missed", 0},
              {"startup_ms", nullptr},
              {"lag_s", nullptr},
              {"video_bytes", video},
              {"control_bytes", control},
              {"server_bytes", server},
              {"join_attempts", attempts}};
  if (played) {
    sys["continuity"] = continuity;
    sys["startup_ms"] = 2000;
    sys["lag_s"] = 10 - 10 * continuity;  // any distinct value per peer
  }
  return record(node, "peer", {{"kind", "status"}, {"sys", sys}});
}

TEST(CoolStreamingSummaryTest, ContinuityAveragesThePeersThatPlayedAndTheP10IsTheWorstTenth) {
  // Ten peers that played, continuity 0.90, 0.91, ..., 0.99; an eleventh never played.
  std::vector<json> records;
  for (int i = 0; i < 10; ++i)
    records.push_back(status("peer-" + std::to_string(i), true, 0.90 + i / 100.0, 1000, 10, 0, 1));
  records.push_back(status("peer-10", false, 0, 0, 5, 0, 1));
  json m = coolstreaming_summary(records);
  EXPECT_EQ(m["peers"], 11);
  EXPECT_EQ(m["peers_playing"], 10);
  EXPECT_NEAR(m["continuity_mean"].get<double>(), 0.945, 1e-12);
  EXPECT_NEAR(m["continuity_audience"].get<double>(), 9.45 / 11, 1e-12) << "the eleventh counts 0";
  // Nearest rank: ceil(0.1 * 10) = 1st value.
  EXPECT_DOUBLE_EQ(m["continuity_p10"].get<double>(), 0.90);
  // Lags 1.0, 0.9, ..., 0.1 s: the two middle ones are 0.6 and 0.5.
  EXPECT_NEAR(m["lag_s_median"].get<double>(), 0.55, 1e-12);
}

TEST(CoolStreamingSummaryTest, AKilledPeerCountsWithItsLastStatus) {
  // peer-1 was killed after its status said 0.5; its last word is what counts.
  json m = coolstreaming_summary({status("peer-0", true, 1.0, 1000, 10, 0, 1),
                                  status("peer-1", true, 0.5, 1000, 10, 0, 1),
                                  record("launcher", "launcher",
                                         {{"kind", "event"},
                                          {"system", "launcher"},
                                          {"event", "node_killed"},
                                          {"data", {{"node", "peer-1"}}}})});
  EXPECT_EQ(m["peers"], 2);
  EXPECT_DOUBLE_EQ(m["continuity_mean"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(m["continuity_p10"].get<double>(), 0.5);
}

TEST(CoolStreamingSummaryTest, OverheadAndServerShareAreRatiosOfTheVideoBytes) {
  // 3000 video bytes in all, 45 of control, 600 from the server; the source's own status is not audience.
  json source = record("source-0", "source",
                       {{"kind", "status"},
                        {"sys",
                         {{"partners", 3},
                          {"children", 0},
                          {"video_bytes_sent", 9000},
                          {"refused_joins", 0},
                          {"newest", 40}}}});
  json m = coolstreaming_summary(
      {status("peer-0", true, 1, 1000, 15, 0, 1), status("peer-1", true, 1, 2000, 30, 600, 1), source});
  EXPECT_EQ(m["peers"], 2);
  EXPECT_DOUBLE_EQ(m["control_overhead"].get<double>(), 45.0 / 3000);
  EXPECT_DOUBLE_EQ(m["server_bytes_ratio"].get<double>(), 600.0 / 3000);
}

TEST(CoolStreamingSummaryTest, RetriesCountPeersThatNeededMoreThanOneAttempt) {
  // peer-0 joined first time; peer-1's status says 3 attempts; peer-2 was refused on attempt 2 and killed
  // before any status; peer-3 was refused once and never retried.
  json m = coolstreaming_summary(
      {status("peer-0", true, 1, 1000, 10, 0, 1), status("peer-1", true, 1, 1000, 10, 0, 3),
       event("peer-2", "join_refused", {{"by", "10.0.0.1:7000"}, {"attempt", 2}, {"retry_after_ms", 400}}),
       event("peer-3", "join_refused", {{"by", "10.0.0.1:7000"}, {"attempt", 1}, {"retry_after_ms", 200}}),
       event("peer-0", "joined",
             {{"attempts", 1}, {"join_ms", 30}, {"overlay", "mesh"}, {"via_server", false}})});
  EXPECT_EQ(m["peers"], 4);
  EXPECT_DOUBLE_EQ(m["join_retry_share"].get<double>(), 2.0 / 4);
}

TEST(CoolStreamingSummaryTest, StartUpCountsEveryPlayingEventAndFallsBackOnTheStatus) {
  // peer-0 played twice (it rejoined), at 1 s and 3 s; peer-1 only says 2 s in its status.
  json m = coolstreaming_summary({event("peer-0", "playing", {{"startup_ms", 1000}}),
                                  event("peer-0", "playing", {{"startup_ms", 3000}}),
                                  status("peer-1", true, 1, 1000, 10, 0, 1)});
  EXPECT_EQ(m["peers_playing"], 2);
  EXPECT_DOUBLE_EQ(m["startup_s_median"].get<double>(), 2.0);
}

TEST(CoolStreamingSummaryTest, NothingToCountIsNullAndBadRecordsAreSkipped) {
  json m = coolstreaming_summary({json("junk"), record("peer-0", "peer", {{"kind", "status"}, {"sys", 7}}),
                                  event("peer-0", "playing", {{"startup_ms", "soon"}})});
  EXPECT_EQ(m["peers"], 1);
  EXPECT_EQ(m["peers_playing"], 0);
  EXPECT_EQ(m["continuity_audience"], 0.0) << "one peer, which never played";
  for (const char* name : {"continuity_mean", "continuity_p10", "startup_s_median", "lag_s_median",
                           "control_overhead", "server_bytes_ratio", "join_retry_share"}) {
    EXPECT_TRUE(m[name].is_null()) << name;
  }
}

}  // namespace
}  // namespace p2p::labs
