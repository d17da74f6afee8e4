// Tests of a BitTorrent run's distribution time against the lecture's bounds, on hand-made telemetry records.
#include "labs/launcher/summaries/bittorrent_bound.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "labs/launcher/summarisers.h"

namespace p2p::labs {
namespace {

using nlohmann::json;

json record(double t, const std::string& kind, const std::string& node, const std::string& system,
            const std::string& role) {
  return {{"v", 1}, {"kind", kind}, {"t", t}, {"node", node}, {"system", system}, {"role", role}};
}
json started(double t, const std::string& node, const std::string& role, double up_kbps, double down_kbps) {
  json r = record(t, "event", "launcher", "launcher", "launcher");
  r["event"] = "node_started";
  r["data"] = {{"node", node}, {"role", role}, {"up_kbps", up_kbps}, {"down_kbps", down_kbps}};
  return r;
}
json completed(double t, const std::string& node) {
  json r = record(t, "event", node, "bittorrent", "peer");
  r["event"] = "completed";
  r["data"] = {{"seconds", 1}, {"ok", true}};
  return r;
}
// A peer's last status: completed_s 0 for a seed, null for a leecher still downloading.
json status(double t, const std::string& node, json completed_s, bool free_rider = false) {
  json r = record(t, "status", node, "bittorrent", "peer");
  r["sys"] = {{"size", 12'500'000}, {"free_rider", free_rider}, {"completed_s", completed_s}};
  return r;
}

// F = 100 Mbit; a seed with u_s = 10 Mbit/s; three leechers with u = 1 Mbit/s up and 20 Mbit/s down, the
// first started at 10 s. So F / u_s = 10 s, F / d_min = 5 s, N F / u_s = 30 s, N F / (u_s + N u) = 300 / 13
// s.
constexpr double kClientServer = 30;
constexpr double kPeerToPeer = 300.0 / 13;

std::vector<json> swarm(bool free_riders) {
  return {started(0, "tracker-0", "tracker", 0, 0),
          started(1, "seed-0", "seed", 10'000, 20'000),
          started(10, "leecher-0", "leecher", 1'000, 20'000),
          started(11, "leecher-1", "leecher", 1'000, 20'000),
          started(12, "leecher-2", "leecher", 1'000, 20'000),
          completed(40, "leecher-0"),
          completed(45, "leecher-1"),
          status(46, "seed-0", 0.0),
          status(46, "leecher-0", 30.0, free_riders),
          status(46, "leecher-1", 34.0, free_riders),
          status(46, "leecher-2", nullptr, free_riders)};
}

TEST(BitTorrentBoundTest, MeasuresFromTheFirstLeechersStartToTheLastCompletion) {
  std::vector<json> records = swarm(false);
  records.push_back(completed(50, "leecher-2"));
  json m = json::object();
  add_distribution_bound(records, m);

  EXPECT_DOUBLE_EQ(m["distribution_time_s"].get<double>(), 40);
  EXPECT_DOUBLE_EQ(m["bound_client_server_s"].get<double>(), kClientServer);
  EXPECT_DOUBLE_EQ(m["bound_p2p_s"].get<double>(), kPeerToPeer);
  // Every leecher uploads, so the P2P bound is the one the run can reach.
  EXPECT_DOUBLE_EQ(m["bound_s"].get<double>(), kPeerToPeer);
  EXPECT_DOUBLE_EQ(m["bound_ratio"].get<double>(), 40 / kPeerToPeer);
}

TEST(BitTorrentBoundTest, LeechersThatNeverUploadAreHeldToTheClientServerBound) {
  std::vector<json> records = swarm(true);
  records.push_back(completed(50, "leecher-2"));
  json m = json::object();
  add_distribution_bound(records, m);

  EXPECT_DOUBLE_EQ(m["bound_p2p_s"].get<double>(), kPeerToPeer);  // what their links would allow...
  EXPECT_DOUBLE_EQ(m["bound_s"].get<double>(), kClientServer);    // ...and what the server alone allows
  EXPECT_DOUBLE_EQ(m["bound_ratio"].get<double>(), 40 / kClientServer);
}

TEST(BitTorrentBoundTest, ALeecherThatNeverCompletedLeavesNoTime) {
  json m = json::object();
  add_distribution_bound(swarm(false), m);
  EXPECT_TRUE(m["distribution_time_s"].is_null());
  EXPECT_TRUE(m["bound_ratio"].is_null());
  EXPECT_DOUBLE_EQ(m["bound_s"].get<double>(), kPeerToPeer);
}

TEST(BitTorrentBoundTest, WithoutAFileSizeOrASeedThereIsNoBound) {
  json m = json::object();
  add_distribution_bound({started(10, "leecher-0", "leecher", 1'000, 20'000), completed(40, "leecher-0")}, m);
  EXPECT_DOUBLE_EQ(m["distribution_time_s"].get<double>(), 30);
  for (const char* figure : {"bound_client_server_s", "bound_p2p_s", "bound_s", "bound_ratio"}) {
    EXPECT_TRUE(m[figure].is_null()) << figure;
  }
}

TEST(BitTorrentBoundTest, TheLabSummaryCarriesTheBound) {
  std::vector<json> records = swarm(false);
  records.push_back(completed(50, "leecher-2"));
  json m = hooks_for("bittorrent")->summarise(records);
  EXPECT_EQ(m["leechers"], 3);
  EXPECT_DOUBLE_EQ(m["bound_ratio"].get<double>(), 40 / kPeerToPeer);
}

}  // namespace
}  // namespace p2p::labs
