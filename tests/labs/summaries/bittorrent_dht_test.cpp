// Tests of the DHT lab's lookup figures on hand-made records: a lookup that found the k closest nodes up,
// one that missed a closer node, and one whose missing node had crashed.
#include "labs/launcher/summaries/bittorrent_dht.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/labs/summaries/bittorrent_records.h"

namespace p2p::labs::bt {
namespace {

using bittorrent_records::launcher;
using bittorrent_records::record;
using bittorrent_records::started;
using bittorrent_records::status;
using nlohmann::json;

// Node dht-i's id: first byte i, the rest zero, so its XOR distance to the zero id grows with i.
std::string id_hex(int i) {
  std::string hex = "00" + std::string(38, '0');
  hex[0] = "0123456789abcdef"[i / 16];
  hex[1] = "0123456789abcdef"[i % 16];
  return hex;
}

json lookup_done(double t, const std::string& node, const std::vector<int>& closest, double hops,
                 double messages) {
  json ids = json::array();
  for (int i : closest) ids.push_back(id_hex(i));
  json r = record(t, "event", node, "bittorrent", "dht");
  r["event"] = "lookup_done";
  r["data"] = {{"target", id_hex(0)},     {"hops", hops},   {"messages", messages},
               {"found", closest.size()}, {"seconds", 1.0}, {"closest", ids}};
  return r;
}

json dht_started(double t, const std::string& node, int id) {
  json r = record(t, "event", node, "bittorrent", "dht");
  r["event"] = "dht_started";
  r["data"] = {{"node_id", id_hex(id)}};
  return r;
}

// Ten nodes dht-1 ... dht-10 from 0 s, each reporting its id as it starts; dht-8 crashes at 40 s.
std::vector<json> nodes() {
  std::vector<json> records = {launcher(0, "lab_started", json::object())};
  for (int i = 1; i <= 10; ++i) {
    std::string node = "dht-" + std::to_string(i);
    records.push_back(started(0, node, "dht", 2000));
    records.push_back(dht_started(0, node, i));
  }
  records.push_back(launcher(40, "node_killed", {{"node", "dht-8"}, {"role", "dht"}, {"pid", 1}}));
  return records;
}

TEST(BittorrentDhtTest, ALookupSucceedsWhenNoNodeUpIsCloserThanTheFarthestItFound) {
  std::vector<json> records = nodes();
  // dht-10 looks up the zero id at 20 s: dht-1 ... dht-8 are the true 8 closest, and it found them.
  records.push_back(lookup_done(20, "dht-10", {1, 2, 3, 4, 5, 6, 7, 8}, 2, 12));
  // Then it misses dht-8, which is up and closer than dht-9, found instead.
  records.push_back(lookup_done(30, "dht-10", {1, 2, 3, 4, 5, 6, 7, 9}, 3, 14));
  // After dht-8 crashed, the same answer is right: dht-9 is now among the 8 closest up.
  records.push_back(lookup_done(50, "dht-10", {1, 2, 3, 4, 5, 6, 7, 9}, 4, 20));
  // dht-1 asks for the zero id: it is never its own answer, and dht-8 is down.
  records.push_back(lookup_done(55, "dht-1", {2, 3, 4, 5, 6, 7, 9, 10}, 2, 10));
  records.push_back(launcher(60, "lab_ended", {{"reason", "duration"}}));

  json figures = dht_lookup_figures(read_run(records));
  EXPECT_EQ(figures["dht_nodes"], 10);
  EXPECT_NEAR(figures["log2_nodes"].get<double>(), 3.32, 0.01);
  EXPECT_EQ(figures["lookups"], 4);
  EXPECT_DOUBLE_EQ(figures["lookup_success"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(figures["lookup_hops_median"].get<double>(), 2.5);
  EXPECT_DOUBLE_EQ(figures["lookup_messages_median"].get<double>(), 13);
}

TEST(BittorrentDhtTest, ARestartedNodeIsCheckedUnderTheIdOfEachLife) {
  std::vector<json> records = nodes();
  // dht-8 comes back at 45 s with the id 0x0b, farther than dht-9 and dht-10.
  records.push_back(launcher(45, "node_restarted", {{"node", "dht-8"}, {"role", "dht"}, {"pid", 2}}));
  records.push_back(dht_started(45, "dht-8", 11));
  // Its old id (0x08) is gone: without it, dht-1 ... dht-7, dht-9 and dht-10 are the 8 closest the asker
  // (dht-1 excluded) could find, and its new id is not among them.
  records.push_back(lookup_done(55, "dht-1", {2, 3, 4, 5, 6, 7, 9, 10}, 2, 10));
  // Before the crash, the old id counted.
  records.push_back(lookup_done(30, "dht-1", {2, 3, 4, 5, 6, 7, 9, 10}, 2, 10));
  json figures = dht_lookup_figures(read_run(records));
  EXPECT_EQ(figures["dht_nodes"], 10);
  EXPECT_DOUBLE_EQ(figures["lookup_success"].get<double>(), 0.5);
}

TEST(BittorrentDhtTest, FewerThanKAnswersFailWhileAnotherNodeIsUp) {
  std::vector<json> records = nodes();
  records.push_back(lookup_done(20, "dht-10", {1, 2, 3}, 1, 3));
  json figures = dht_lookup_figures(read_run(records));
  EXPECT_DOUBLE_EQ(figures["lookup_success"].get<double>(), 0);
}

TEST(BittorrentDhtTest, ARunWithoutDhtNodesHasNoDhtFigures) {
  std::vector<json> records = {started(0, "seed-0", "seed", 8),
                               status(5, "seed-0", "peer", {{"completed_s", 0}})};
  EXPECT_EQ(dht_lookup_figures(read_run(records)), json::object());
  // Nodes without lookups: no success to speak of.
  json figures = dht_lookup_figures(read_run(nodes()));
  EXPECT_EQ(figures["lookups"], 0);
  EXPECT_TRUE(figures["lookup_success"].is_null());
  EXPECT_TRUE(figures["lookup_hops_median"].is_null());
}

}  // namespace
}  // namespace p2p::labs::bt
