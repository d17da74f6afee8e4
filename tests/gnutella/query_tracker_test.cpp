// QueryTracker: the originator's count of hits, responders and first-hit latency, within the query window.
#include "gnutella/query_tracker.h"

#include <gtest/gtest.h>

namespace p2p::gnutella {
namespace {

TimePoint at(double seconds) {
  return TimePoint{} + from_seconds(seconds);
}

QueryHit hit_from(const std::string& ip, std::vector<std::uint32_t> indices) {
  QueryHit hit;
  hit.ip = Endpoint{ip, 6346}.ipv4();
  hit.port = 6346;
  for (std::uint32_t i : indices) hit.results.push_back({i, 1000, "f" + std::to_string(i) + ".mp3", {}});
  return hit;
}

TEST(QueryTrackerTest, CountsHitsResultsAndRespondersAndTheFirstHitLatency) {
  QueryTracker tracker(seconds(10));
  Guid guid{};
  guid.fill(7);
  tracker.start(
      QueryRecord{.guid = guid, .words = "blue river", .file = 42, .ttl = 7, .sent = 4, .started = at(1)});

  // The first hit comes 250 ms after the query; the same servent answers twice.
  ASSERT_NE(tracker.hit(guid, hit_from("10.0.0.1", {42}), at(1.25)), nullptr);
  tracker.hit(guid, hit_from("10.0.0.2", {5, 6}), at(1.5));
  const QueryRecord* record = tracker.hit(guid, hit_from("10.0.0.1", {9}), at(2));
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->hits, 3u);
  EXPECT_EQ(record->results, 4u);
  EXPECT_EQ(record->responders.size(), 2u);
  EXPECT_TRUE(record->target_found);
  EXPECT_NEAR(to_millis(*record->first_hit), 250.0, 1e-6);

  nlohmann::json done = record->to_json();
  EXPECT_EQ(done["first_hit_ms"], 250.0);
  EXPECT_EQ(done["file"], 42);
  EXPECT_EQ(done["sent"], 4);
}

TEST(QueryTrackerTest, AQueryClosesWhenItsWindowEndsAndLaterHitsAreIgnored) {
  QueryTracker tracker(seconds(10));
  Guid first{}, second{}, unknown{};
  first.fill(1);
  second.fill(2);
  unknown.fill(3);
  tracker.start(QueryRecord{.guid = first, .words = "a", .ttl = 7, .sent = 1, .started = at(0)});
  tracker.start(QueryRecord{.guid = second, .words = "b", .ttl = 7, .sent = 1, .started = at(5)});
  EXPECT_EQ(tracker.hit(unknown, hit_from("10.0.0.1", {1}), at(1)), nullptr);

  EXPECT_TRUE(tracker.expire(at(9.9)).empty());
  std::vector<QueryRecord> closed = tracker.expire(at(10));
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].guid, first);
  EXPECT_FALSE(closed[0].first_hit.has_value());  // no hit: the event says first_hit_ms null
  EXPECT_TRUE(closed[0].to_json()["first_hit_ms"].is_null());
  EXPECT_EQ(tracker.hit(first, hit_from("10.0.0.1", {1}), at(11)), nullptr);
  EXPECT_EQ(tracker.open(), 1u);
  // The dashboard still sees the latest query.
  EXPECT_EQ(tracker.last()->guid, second);
}

}  // namespace
}  // namespace p2p::gnutella
