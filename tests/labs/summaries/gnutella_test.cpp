// Tests of Gnutella's lab summariser on small hand-made telemetry records.
#include "labs/launcher/summaries/gnutella.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace p2p::labs {
namespace {

using nlohmann::json;

json event(const std::string& node, const std::string& name, json data, double t = 1) {
  return {{"v", 1},         {"kind", "event"}, {"t", t},      {"node", node}, {"system", "gnutella"},
          {"role", "peer"}, {"event", name},   {"data", data}};
}
json sent(const std::string& node, const std::string& guid, int copies) {
  return event(node, "query_sent",
               {{"guid", guid}, {"words", "a b"}, {"file", 1}, {"ttl", 3}, {"sent", copies}});
}
json seen(const std::string& node, const std::string& guid, int forwarded) {
  return event(node, "query_seen",
               {{"guid", guid}, {"hops", 1}, {"ttl", 2}, {"forwarded", forwarded}, {"results", 0}});
}
json hit(const std::string& node, const std::string& guid, const std::string& from, double latency) {
  return event(node, "query_hit",
               {{"guid", guid}, {"from", from}, {"results", 1}, {"hops", 2}, {"latency_ms", latency}});
}
json status(const std::string& node) {
  return {{"v", 1},         {"kind", "status"},     {"t", 0.5}, {"node", node}, {"system", "gnutella"},
          {"role", "peer"}, {"sys", json::object()}};
}

TEST(GnutellaSummaryTest, ReachAndMessagesAddUpEveryNodesReports) {
  // Query A from n0 reaches n1, n2, n3 (n1 forwards 2, n2 forwards 1); query B from n1 reaches only n0.
  std::vector<json> records = {sent("n0", "A", 2), seen("n1", "A", 2), seen("n2", "A", 1),
                               seen("n3", "A", 0), sent("n1", "B", 1), seen("n0", "B", 0)};
  json m = gnutella_summary(records);
  EXPECT_EQ(m["queries"], 2);
  EXPECT_DOUBLE_EQ(m["reach_mean"].get<double>(), (3 + 1) / 2.0);
  EXPECT_DOUBLE_EQ(m["messages_per_query_mean"].get<double>(), ((2 + 2 + 1) + 1) / 2.0);
  // Nobody answered.
  EXPECT_DOUBLE_EQ(m["hit_ratio"].get<double>(), 0.0);
  EXPECT_TRUE(m["first_hit_ms_median"].is_null());
  EXPECT_TRUE(m["top1pct_hit_share"].is_null());
}

TEST(GnutellaSummaryTest, TheOriginatorAndRepeatedReportsAreNotCountedInReach) {
  // n0's own query_seen (which a servent never sends for its own GUID) and n1's second one count nothing.
  json m = gnutella_summary({sent("n0", "A", 1), seen("n0", "A", 5), seen("n1", "A", 1), seen("n1", "A", 7)});
  EXPECT_DOUBLE_EQ(m["reach_mean"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(m["messages_per_query_mean"].get<double>(), 2.0);
}

TEST(GnutellaSummaryTest, HitRatioAndFirstHitMedianCountQueriesWithAHit) {
  // Three queries: A's first hit at 40 ms (a later one at 90), B's at 100 ms, C none.
  json m = gnutella_summary({sent("n0", "A", 1), sent("n0", "B", 1), sent("n0", "C", 1),
                             hit("n0", "A", "h1", 90), hit("n0", "A", "h2", 40), hit("n0", "B", "h1", 100)});
  EXPECT_DOUBLE_EQ(m["hit_ratio"].get<double>(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m["first_hit_ms_median"].get<double>(), (40 + 100) / 2.0);
  EXPECT_EQ(m["query_hits"], 3);
}

TEST(GnutellaSummaryTest, TopOnePercentIsTakenOfAllHostsNotOnlyOfResponders) {
  // 150 hosts publish statuses: the top 1 % is ceil(1.5) = 2 hosts. Of 10 hits, h1 answered 5, h2 3, h3 2.
  std::vector<json> records;
  for (int v = 0; v < 150; ++v) records.push_back(status("n" + std::to_string(v)));
  records.push_back(sent("n0", "A", 4));
  for (int i = 0; i < 5; ++i) records.push_back(hit("n0", "A", "h1", 10));
  for (int i = 0; i < 3; ++i) records.push_back(hit("n0", "A", "h2", 10));
  for (int i = 0; i < 2; ++i) records.push_back(hit("n0", "A", "h3", 10));
  json m = gnutella_summary(records);
  EXPECT_EQ(m["hosts"], 150);
  EXPECT_DOUBLE_EQ(m["top1pct_hit_share"].get<double>(), 0.8);

  // With 50 hosts the top 1 % is still one host, the busiest.
  records.erase(records.begin() + 50, records.begin() + 150);
  EXPECT_DOUBLE_EQ(gnutella_summary(records)["top1pct_hit_share"].get<double>(), 0.5);
}

TEST(GnutellaSummaryTest, CountsOnlyVerifiedDownloadsAndSkipsBrokenRecords) {
  json m =
      gnutella_summary({event("n1", "download_done", {{"ok", true}, {"verified", true}}),
                        event("n1", "download_done", {{"ok", true}, {"verified", false}}),
                        event("n1", "download_done", {{"ok", false}, {"verified", true}}),
                        json("not an object"), json::object(), event("n2", "query_seen", "not an object"),
                        event("n2", "query_sent", {{"guid", 7}}), hit("n0", "unknown guid", "h1", 5)});
  EXPECT_EQ(m["downloads_verified"], 1);
  EXPECT_EQ(m["queries"], 0);
  EXPECT_TRUE(m["reach_mean"].is_null());
  EXPECT_TRUE(m["hit_ratio"].is_null());
  EXPECT_EQ(m["query_hits"], 0);
}

}  // namespace
}  // namespace p2p::labs
