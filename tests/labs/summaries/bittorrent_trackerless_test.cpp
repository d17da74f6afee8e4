// Tests of the trackerless lab's figures on hand-made records: completions after the tracker's death, and
// the peers learned by PEX and the DHT; a bt-dht node is not a leecher.
#include "labs/launcher/summaries/bittorrent_trackerless.h"

#include <gtest/gtest.h>

#include <vector>

#include "labs/launcher/summaries/bittorrent.h"
#include "tests/labs/summaries/bittorrent_records.h"

namespace p2p::labs::bt {
namespace {

using bittorrent_records::completed;
using bittorrent_records::launcher;
using bittorrent_records::started;
using bittorrent_records::status;
using nlohmann::json;

json dht_started(double t, const std::string& node) {
  json r = bittorrent_records::record(t, "event", node, "bittorrent", "dht");
  r["event"] = "dht_started";
  r["data"] = {{"node_id", std::string(40, '1')}};
  return r;
}

// The lab starts at 100 s (epoch seconds); the tracker is killed 30 s in. leecher-0 came before, leecher-1
// and leecher-2 after; only leecher-1 completes after it. A bt-dht bootstrap node runs beside them.
std::vector<json> swarm() {
  return {launcher(100, "lab_started", json::object()),
          started(100, "tracker-0", "tracker", 0),
          started(100, "dht-0", "dht", 2000),
          started(100, "seed-0", "seed", 2000),
          started(105, "leecher-0", "leecher", 2000),
          launcher(130, "node_killed", {{"node", "tracker-0"}, {"role", "tracker"}, {"pid", 1}}),
          started(135, "leecher-1", "leecher", 2000),
          started(140, "leecher-2", "leecher", 2000),
          completed(120, "leecher-0", 15, true),
          completed(150, "leecher-1", 15, true),
          dht_started(100, "dht-0"),
          status(159, "dht-0", "dht", {{"node_id", std::string(40, '1')}, {"table_size", 4}}),
          status(159, "seed-0", "peer", {{"completed_s", 0}, {"peers_via_pex", 1}, {"peers_via_dht", 2}}),
          status(159, "leecher-0", "peer", {{"completed_s", 15}, {"peers_via_pex", 3}, {"peers_via_dht", 0}}),
          status(159, "leecher-1", "peer", {{"completed_s", 15}, {"peers_via_pex", 2}}),
          status(159, "leecher-2", "peer", {{"completed_s", nullptr}, {"peers_via_pex", 0}}),
          launcher(160, "lab_ended", {{"reason", "duration"}})};
}

TEST(BittorrentTrackerlessTest, CountsTheLeechersThatArrivedAfterTheTrackerDiedAndCompleted) {
  json metrics = json::object();
  add_trackerless_figures(read_run(swarm()), metrics);
  EXPECT_DOUBLE_EQ(metrics["tracker_died_s"].get<double>(), 30);
  EXPECT_EQ(metrics["arrived_after_tracker_death"], 2);
  EXPECT_DOUBLE_EQ(metrics["completed_after_tracker_death"].get<double>(), 0.5);
  // Sums over the peers that report the counter; the DHT node is not a peer.
  EXPECT_DOUBLE_EQ(metrics["peers_via_pex"].get<double>(), 6);
  EXPECT_DOUBLE_EQ(metrics["peers_via_dht"].get<double>(), 2);
}

TEST(BittorrentTrackerlessTest, ATrackerThatLivesGivesNoDeathFigures) {
  std::vector<json> records = {
      launcher(0, "lab_started", json::object()), started(0, "tracker-0", "tracker", 0),
      started(0, "leecher-0", "leecher", 2000), status(9, "leecher-0", "peer", {{"completed_s", nullptr}})};
  json metrics = json::object();
  add_trackerless_figures(read_run(records), metrics);
  EXPECT_FALSE(metrics.contains("completed_after_tracker_death"));
  EXPECT_TRUE(metrics["peers_via_pex"].is_null());
  EXPECT_TRUE(metrics["peers_via_dht"].is_null());
}

TEST(BittorrentTrackerlessTest, TheSwarmSummaryLeavesTheDhtNodeOut) {
  json metrics = bittorrent_summary(swarm());
  EXPECT_EQ(metrics["leechers"], 3);
  EXPECT_EQ(metrics["seeds"], 1);
  EXPECT_EQ(metrics["completed"], 2);
  EXPECT_EQ(metrics["arrived_after_tracker_death"], 2);
  // A run without lab lookups has DHT figures when some bt-dht node reported its id: here one did.
  EXPECT_EQ(metrics["dht_nodes"], 1);
  EXPECT_EQ(metrics["lookups"], 0);
}

}  // namespace
}  // namespace p2p::labs::bt
