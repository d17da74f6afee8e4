// Tests of the DHT view: a bt-dht node's k-buckets by distance and its last lookup's path, the same drawing
// for a bt-peer's `dht` object, and dashes, never a crash, for missing or malformed fields.
#include "labs/dashboard/dht_view.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "labs/dashboard/bittorrent_panel.h"
#include "labs/dashboard/dashboard_app.h"
#include "labs/dashboard/keymap.h"
#include "tests/labs/dashboard/records.h"
#include "tests/labs/dashboard/text_canvas.h"

namespace p2p::dashboard {
namespace {

using testing::status;
using testing::TextCanvas;

// The detail view of an 80x24 terminal leaves the panel 19 rows of 78 columns (screens.cpp).
constexpr int kRows = 19, kCols = 78;

nlohmann::json hop(const std::string& id, int distance_bits) {
  return {{"id", id}, {"distance_bits", distance_bits}};
}

// A node of a 200-node lab: 5 buckets, the farthest two full; its last get_peers took 4 hops from 160 bits
// of distance to 152.
nlohmann::json dht_status() {
  return {{"node_id", "3fa2c1d0e5b6a7980011223344556677889900aa"},
          {"joined", true},
          {"table_size", 27},
          {"buckets", {8, 8, 6, 4, 1}},
          {"queries_in", 1200},
          {"responses_out", 1190},
          {"errors_out", 10},
          {"queries_out", 300},
          {"responses_in", 280},
          {"errors_in", 0},
          {"retries", 3},
          {"timeouts", 12},
          {"lookups", 17},
          {"drops", {{"garbage", 2}, {"rate", 3}}},
          {"torrents", 1},
          {"lookup_hops_median", 3.5},
          {"lookup_messages_median", 31},
          {"last_lookup",
           {{"kind", "get_peers"},
            {"target", "aabbccddeeff00112233445566778899aabbccdd"},
            {"hops", 4},
            {"messages", 34},
            {"found", 8},
            {"peers", 3},
            {"path",
             {hop("1111111111111111111111111111111111111111", 160),
              hop("2222222222222222222222222222222222222222", 157),
              hop("3333333333333333333333333333333333333333", 155),
              hop("4444444444444444444444444444444444444444", 152)}}}}};
}

LabModel lab_with(const std::string& id, const std::string& role, nlohmann::json sys) {
  LabModel lab;
  lab.apply(status(id, role, 100, 0, 0, 0, std::move(sys), "bittorrent"), 1.0);
  return lab;
}

TextCanvas drawn(const LabModel& lab, const std::string& id, int rows = kRows, int cols = kCols) {
  TextCanvas canvas(rows, cols);
  Area area(canvas);
  BitTorrentPanel().draw(area, PanelContext{*lab.find(id), lab});
  return canvas;
}

// The bar of a hop's row: the '#' after the distance's bits.
std::size_t bar_of(const std::string& line) {
  return static_cast<std::size_t>(std::count(line.begin(), line.end(), '#'));
}

TEST(DhtViewTest, BucketsAreLabelledWithTheDistancesTheyHoldFarthestFirst) {
  EXPECT_EQ(dht_bucket_range(0, 5), "2^159..2^160");
  EXPECT_EQ(dht_bucket_range(3, 5), "2^156..2^157");
  EXPECT_EQ(dht_bucket_range(4, 5), "1..2^156");  // the last bucket holds every closer id
  EXPECT_EQ(dht_bucket_range(0, 1), "1..2^160");  // a table that never split
  EXPECT_EQ(dht_bucket_range(5, 5), "-");
  EXPECT_EQ(dht_bucket_range(0, 161), "-");  // more buckets than id bits: garbage
}

TEST(DhtViewTest, ADhtNodeShowsItsBucketsAndItsLastLookupShrinkingIn80By24) {
  LabModel lab = lab_with("dht-3", "dht", dht_status());
  EXPECT_EQ(BitTorrentPanel().key_figure(*lab.find("dht-3")).text, "27 nodes");
  EXPECT_EQ(BitTorrentPanel().key_figure(*lab.find("dht-3")).value, 27);
  TextCanvas canvas = drawn(lab, "dht-3");
  std::string screen = canvas.text();
  EXPECT_FALSE(canvas.out_of_bounds());
  EXPECT_EQ(canvas.line(0).substr(0, 19), "BitTorrent DHT node");
  EXPECT_TRUE(canvas.contains("Node     3fa2c1d0  joined  27 nodes in 5 buckets   5 datagrams refused"))
      << screen;
  EXPECT_TRUE(canvas.contains("Lookups  17 done: median 3.5 hops, 31 messages")) << screen;
  EXPECT_TRUE(canvas.contains("Queries  in 1.20k, answered 1.19k   out 300, answered 280, timed out 12"))
      << screen;
  EXPECT_TRUE(canvas.contains("K-buckets by distance, k = 8")) << screen;
  // One bar per bucket against the k = 8 limit, farthest first.
  int first = canvas.row_of("2^159..2^160");
  ASSERT_GT(first, 0) << screen;
  EXPECT_EQ(canvas.line(first).substr(0, 26), "2^159..2^160 |########| 8 ");
  EXPECT_EQ(canvas.line(first + 2).substr(0, 26), "2^157..2^158 |######..| 6 ");
  EXPECT_EQ(canvas.line(first + 4).substr(0, 26), "1..2^156     |#.......| 1 ");
  // The lookup: what it looked for, what it cost, and each hop closer to the target.
  EXPECT_TRUE(canvas.contains("Last lookup get_peers of aabbccdd")) << screen;
  EXPECT_TRUE(canvas.contains("4 hops, 34 messages: found 8 nodes, 3 peers")) << screen;
  int path = canvas.row_of("  1 11111111 160 #");
  ASSERT_GT(path, 0) << screen;
  EXPECT_NE(canvas.line(path + 1).find("  2 22222222 157 #"), std::string::npos) << screen;
  EXPECT_NE(canvas.line(path + 3).find("  4 44444444 152 #"), std::string::npos) << screen;
  // The bars shrink hop by hop: the farthest fills the column (78 - 30 - 17 = 31 cells), the closest the
  // least.
  EXPECT_EQ(bar_of(canvas.line(path).substr(30)), 31u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_GT(bar_of(canvas.line(path + i).substr(30)), bar_of(canvas.line(path + i + 1).substr(30)));
  }
  EXPECT_GE(bar_of(canvas.line(path + 3).substr(30)), 1u);
}

TEST(DhtViewTest, APeerWithADhtObjectShowsTheSameDrawingBelowItsTorrent) {
  LabModel lab = lab_with("leecher-1", "peer",
                          {{"pieces", 16},
                           {"have", 4},
                           {"progress", 0.25},
                           {"bitfield", "f000"},
                           {"state", "leeching"},
                           {"dht", dht_status()}});
  TextCanvas canvas = drawn(lab, "leecher-1");
  EXPECT_FALSE(canvas.out_of_bounds());
  EXPECT_TRUE(canvas.contains("BitTorrent peer")) << canvas.text();
  EXPECT_TRUE(canvas.contains("4/16 pieces 25%"));
  EXPECT_TRUE(canvas.contains("Node     3fa2c1d0  joined  27 nodes in 5 buckets")) << canvas.text();
  EXPECT_TRUE(canvas.contains("2^159..2^160 |########| 8"));
  EXPECT_TRUE(canvas.contains("  4 44444444 152 #"));
  EXPECT_FALSE(canvas.contains("Swarm availability"));
  // A peer's key figure stays its progress.
  EXPECT_EQ(BitTorrentPanel().key_figure(*lab.find("leecher-1")).text, "25%");
}

TEST(DhtViewTest, ANodeThatReportedNothingDrawsDashes) {
  LabModel lab = lab_with("dht-0", "dht", nlohmann::json::object());
  EXPECT_EQ(BitTorrentPanel().key_figure(*lab.find("dht-0")).text, "-");
  TextCanvas canvas = drawn(lab, "dht-0");
  EXPECT_FALSE(canvas.out_of_bounds());
  EXPECT_TRUE(canvas.contains("Node     -  -  - nodes in - buckets   - datagrams refused")) << canvas.text();
  EXPECT_TRUE(canvas.contains("Lookups  - done: median - hops, - messages"));
  EXPECT_TRUE(canvas.contains("Queries  in -, answered -   out -, answered -, timed out -"));
  EXPECT_EQ(canvas.line(canvas.row_of("K-buckets") + 1).substr(0, 2), "- ");
  EXPECT_TRUE(canvas.contains("Last lookup -"));
}

TEST(DhtViewTest, MalformedFieldsDrawDashesNeverACrash) {
  nlohmann::json sys = dht_status();
  sys["node_id"] = 42;
  sys["joined"] = "yes";
  sys["table_size"] = -3;
  sys["lookups"] = "many";
  sys["lookup_hops_median"] = nullptr;
  sys["drops"] = {{"garbage", "x"}};
  sys["buckets"] = {8, "eight", -1, 12, nullptr};
  sys["last_lookup"]["kind"] = 7;
  sys["last_lookup"]["target"] = nlohmann::json::array();
  sys["last_lookup"]["hops"] = "4";
  sys["last_lookup"]["path"] = {hop("1111111111", 160),
                                5,
                                {{"id", 9}, {"distance_bits", 400}},
                                {{"distance_bits", 2.5}},
                                hop("55555555", 158)};
  LabModel lab = lab_with("dht-1", "dht", sys);
  EXPECT_EQ(BitTorrentPanel().key_figure(*lab.find("dht-1")).text, "-");
  TextCanvas canvas = drawn(lab, "dht-1");
  std::string screen = canvas.text();
  EXPECT_FALSE(canvas.out_of_bounds());
  EXPECT_TRUE(canvas.contains("Node     -  -  - nodes in 5 buckets   - datagrams refused")) << screen;
  EXPECT_TRUE(canvas.contains("Lookups  - done: median - hops, 31 messages")) << screen;
  int first = canvas.row_of("2^159..2^160");
  ASSERT_GT(first, 0) << screen;
  EXPECT_EQ(canvas.line(first + 1).substr(0, 15), "2^158..2^159 - ");
  EXPECT_EQ(canvas.line(first + 2).substr(0, 15), "2^157..2^158 - ");
  // More nodes than k fit in no bucket: the bar is full and the count tells.
  EXPECT_EQ(canvas.line(first + 3).substr(0, 27), "2^156..2^157 |########| 12 ");
  EXPECT_EQ(canvas.line(first + 4).substr(0, 15), "1..2^156     - ");
  EXPECT_TRUE(canvas.contains("Last lookup - of -")) << screen;
  EXPECT_TRUE(canvas.contains("- hops, 34 messages")) << screen;
  int path = canvas.row_of("  1 11111111 160 #");
  ASSERT_GT(path, 0) << screen;
  EXPECT_EQ(canvas.line(path + 1).substr(30, 17), "  2 -          - ");
  EXPECT_EQ(canvas.line(path + 2).substr(30, 17), "  3 -          - ");
  EXPECT_EQ(canvas.line(path + 3).substr(30, 17), "  4 -          - ");
  EXPECT_NE(canvas.line(path + 4).find("  5 55555555 158 #"), std::string::npos) << screen;

  // Wrong types for the whole objects.
  sys["buckets"] = "full";
  sys["last_lookup"] = {{"path", "a, b"}};
  lab = lab_with("dht-1", "dht", sys);
  canvas = drawn(lab, "dht-1");
  EXPECT_FALSE(canvas.out_of_bounds());
  EXPECT_EQ(canvas.line(canvas.row_of("K-buckets") + 1).substr(0, 2), "- ") << canvas.text();
  EXPECT_TRUE(canvas.contains("Last lookup - of -")) << canvas.text();
  EXPECT_NE(canvas.line(canvas.row_of("hop node") + 1).find("  -"), std::string::npos) << canvas.text();
}

TEST(DhtViewTest, ManyBucketsAndALongPathEndInACountOfTheRest) {
  nlohmann::json sys = dht_status();
  sys["buckets"] = nlohmann::json::array();
  for (int i = 0; i < 20; ++i) sys["buckets"].push_back(8);
  sys["last_lookup"]["path"] = nlohmann::json::array();
  for (int i = 0; i < 30; ++i) sys["last_lookup"]["path"].push_back(hop(std::to_string(10 + i), 160 - i));
  LabModel lab = lab_with("dht-2", "dht", sys);
  TextCanvas canvas = drawn(lab, "dht-2");
  std::string screen = canvas.text();
  EXPECT_FALSE(canvas.out_of_bounds());
  // Rows 5 to 17 hold 13 buckets, the last row says how many more.
  EXPECT_EQ(canvas.line(kRows - 1).substr(0, 19), "+7 closer buckets  ") << screen;
  // The path keeps its first hops and its last, the closest to the target, with the count between.
  EXPECT_TRUE(canvas.contains("  1 10       160 #")) << screen;
  EXPECT_TRUE(canvas.contains("hops")) << screen;
  EXPECT_NE(canvas.line(kRows - 1).find(" 30 39       131 #"), std::string::npos) << screen;
}

TEST(DhtViewTest, DhtNodesAreNotSwarmPeersInTheTrackersView) {
  LabModel lab = lab_with("tracker-0", "tracker", {{"peers", 1}, {"announces", 1}});
  lab.apply(status("dht-0", "dht", 100, 0, 0, 0, dht_status(), "bittorrent"), 1.0);
  lab.apply(status("seed-0", "peer", 100, 0, 0, 0, {{"pieces", 16}, {"progress", 1.0}}, "bittorrent"), 1.0);
  TextCanvas canvas = drawn(lab, "tracker-0");
  EXPECT_TRUE(canvas.contains("Peers (1)")) << canvas.text();
  EXPECT_FALSE(canvas.contains("dht-0"));
}

TEST(DhtViewTest, TheTableShowsATableSizeAndEnterOpensTheDhtViewIn80By24) {
  DashboardApp app(builtin_panels(), false);
  app.apply(status("dht-0", "dht", 100, 0, 0, 0, dht_status(), "bittorrent"), 1.0);
  TextCanvas table(24, 80);
  app.draw(table, 2.0, 1);
  EXPECT_NE(table.line(table.row_of("dht-0")).find("27 nodes"), std::string::npos) << table.text();
  app.on_key(keys::kEnter);
  TextCanvas detail(24, 80);
  app.draw(detail, 2.0, 2);
  EXPECT_FALSE(detail.out_of_bounds());
  EXPECT_TRUE(detail.contains("BitTorrent DHT node")) << detail.text();
  EXPECT_TRUE(detail.contains("2^159..2^160 |########| 8")) << detail.text();
  EXPECT_TRUE(detail.contains("  4 44444444 152 #")) << detail.text();
}

TEST(DhtViewTest, ATinyAreaClipsTheDrawing) {
  LabModel lab = lab_with("dht-3", "dht", dht_status());
  TextCanvas canvas = drawn(lab, "dht-3", 5, 24);
  EXPECT_FALSE(canvas.out_of_bounds());
  EXPECT_TRUE(canvas.contains("BitTorrent DHT node"));
}

}  // namespace
}  // namespace p2p::dashboard
