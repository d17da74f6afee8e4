// Tests of the BitTorrent panel: key figures, the swarm's availability, a peer's and a tracker's view, all
// within the detail area of an 80x24 terminal.
#include "labs/dashboard/bittorrent_panel.h"

#include <gtest/gtest.h>

#include "tests/labs/dashboard/records.h"
#include "tests/labs/dashboard/text_canvas.h"

namespace p2p::dashboard {
namespace {

using testing::status;
using testing::TextCanvas;

// The detail view of an 80x24 terminal leaves the panel 19 rows of 78 columns (screens.cpp).
constexpr int kRows = 19, kCols = 78;

// A peer of a 16-piece torrent holding the pieces of `bitfield` (4 hex digits, BEP 3 order).
nlohmann::json peer_sys(const std::string& peer_id, const std::string& bitfield, int have,
                        nlohmann::json extra = nlohmann::json::object()) {
  nlohmann::json sys = {{"peer_id", peer_id},
                        {"state", have == 16 ? "seeding" : "leeching"},
                        {"pieces", 16},
                        {"have", have},
                        {"progress", have / 16.0},
                        {"bitfield", bitfield}};
  sys.update(extra);
  return sys;
}

void add_peer(LabModel& lab, const std::string& id, nlohmann::json sys) {
  lab.apply(status(id, "peer", 100, 0, 0, 0, std::move(sys), "bittorrent"), 1.0);
}

// A tracker, the seed, leecher-1 (pieces 0-3), leecher-3 (none yet) and leecher-4 (a full copy, killed).
// Copies per piece among the live peers: pieces 0-3 two, the others one.
LabModel small_swarm() {
  LabModel lab;
  lab.apply(status("tracker-0", "tracker", 100, 0, 0, 0,
                   {{"peers", 4}, {"seeds", 1}, {"leechers", 3}, {"announces", 20}, {"announces_per_s", 1.5}},
                   "bittorrent"),
            1.0);
  add_peer(lab, "seed-0", peer_sys("5e", "ffff", 16, {{"completed_s", 0}}));
  add_peer(lab, "leecher-1", peer_sys("11", "f000", 4));
  add_peer(lab, "leecher-3", peer_sys("33", "0000", 0));
  add_peer(lab, "leecher-4", peer_sys("44", "ffff", 16));
  lab.apply(testing::launcher(101, "node_killed", "leecher-4"), 2.0);
  return lab;
}

nlohmann::json connection(const std::string& peer_id, bool am_choking, bool peer_choking, int have,
                          double down_bps, double up_bps, nlohmann::json extra = nlohmann::json::object()) {
  nlohmann::json conn = {{"peer_id", peer_id},           {"addr", "10.0.0.9:99"}, {"am_choking", am_choking},
                         {"peer_choking", peer_choking}, {"have", have},          {"seed", have == 16},
                         {"down_bps", down_bps},         {"up_bps", up_bps}};
  conn.update(extra);
  return conn;
}

TEST(BitTorrentPanelTest, KeyFigureIsProgressOfAPeerAndPeerCountOfATracker) {
  LabModel lab = small_swarm();
  BitTorrentPanel panel;
  EXPECT_EQ(panel.key_figure(*lab.find("leecher-1")).text, "25%");
  EXPECT_EQ(panel.key_figure(*lab.find("seed-0")).text, "seed");
  EXPECT_GT(panel.key_figure(*lab.find("seed-0")).value, panel.key_figure(*lab.find("leecher-1")).value);
  EXPECT_EQ(panel.key_figure(*lab.find("tracker-0")).text, "4 peers");
}

TEST(BitTorrentPanelTest, SwarmAvailabilityCountsCopiesAmongLivePeersOnly) {
  LabModel lab = small_swarm();
  add_peer(lab, "leecher-2", peer_sys("22", "ff00", 8));
  std::vector<std::uint32_t> expected = {3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1};
  EXPECT_EQ(swarm_availability(lab), expected);  // leecher-4 is dead: its full copy does not count
}

TEST(BitTorrentPanelTest, PeerShowsItsPiecesRatesWhoItUnchokesAndWhoUnchokesIt) {
  LabModel lab = small_swarm();
  nlohmann::json conns = {
      // The seed uploads to us; we do not upload to it (it wants nothing). The connection knows of only 9 of
      // its pieces (it sent no HAVE for those we have); its bar shows its own report: all 16.
      connection("5e", false, false, 9, 1'000'000, 0),
      // Our optimistic unchoke: leecher-1 downloads from us but chokes us.
      connection("11", false, true, 4, 0, 500'000, {{"optimistic", true}, {"peer_interested", true}}),
      // An outside client the lab does not know: shown by address, choked both ways.
      connection("99", true, true, 0, 0, 0, {{"peer_interested", true}}),
  };
  add_peer(lab, "leecher-2",
           peer_sys("22", "ff00", 8,
                    {{"downloaded", 1'000'000},
                     {"from_seeds", 250'000},
                     {"uploaded", 2000},
                     {"down_bps", 1'500'000},
                     {"up_bps", 500'000},
                     {"endgame", false},
                     {"peers", conns}}));

  TextCanvas canvas(kRows, kCols);
  Area area(canvas);
  BitTorrentPanel().draw(area, PanelContext{*lab.find("leecher-2"), lab});

  EXPECT_FALSE(canvas.out_of_bounds());
  EXPECT_TRUE(canvas.contains("leeching")) << canvas.text();
  EXPECT_TRUE(canvas.contains("8/16 pieces 50%"));
  EXPECT_TRUE(canvas.contains("Pieces      ########........"));
  EXPECT_TRUE(canvas.contains("got 1.00MB (25% from seeds) sent 2.00kB  down 1.50M up 500k b/s"));
  EXPECT_TRUE(canvas.contains("Unchokes    seed-0 *leecher-1 "));
  EXPECT_TRUE(canvas.contains("Unchoked by seed-0 "));
  // The histogram, with leecher-2's pieces 0-7: 4 live peers; 8 pieces have 1 copy, 4 have 2, 4 have 3.
  EXPECT_TRUE(canvas.contains("among 4 live peers   rarest 1  most 3")) << canvas.text();
  int top = canvas.row_of("Swarm availability") + 1;
  // Copies 0 to 3, a column of 2 cells each; the peak (8 pieces with one copy) labels the top row.
  EXPECT_EQ(canvas.line(top).substr(0, 19), "8         ##       ");
  EXPECT_EQ(canvas.line(top + 3).substr(7, 12), "   ## ## ## ");
  // Connections, the busiest first, each with its progress and the choke state both ways.
  int seed = canvas.row_of("  seed-0      [");
  ASSERT_GT(seed, top) << canvas.text();
  EXPECT_EQ(canvas.line(seed).substr(14, 12), "[##########]");
  EXPECT_NE(canvas.line(seed).find("1.00M  0       UNCH  UNCH"), std::string::npos) << canvas.line(seed);
  EXPECT_NE(canvas.line(seed + 1).find("leecher-1   [###       ] 0      500k    UNCH* -"), std::string::npos)
      << canvas.line(seed + 1);
  EXPECT_NE(canvas.line(seed + 2).find("10.0.0.9:99"), std::string::npos);
  EXPECT_NE(canvas.line(seed + 2).find("choke -"), std::string::npos);
}

TEST(BitTorrentPanelTest, PieceMapTakesTwoRowsToShowACellPerPieceOf130) {
  LabModel lab;
  // 130 pieces of which the first 8 are held: 17 bitfield bytes, the last one padding but for 2 bits.
  add_peer(
      lab, "leecher-1",
      {{"pieces", 130}, {"have", 8}, {"progress", 8 / 130.0}, {"bitfield", "ff" + std::string(32, '0')}});
  TextCanvas canvas(kRows, kCols);
  Area area(canvas);
  BitTorrentPanel().draw(area, PanelContext{*lab.find("leecher-1"), lab});
  EXPECT_EQ(canvas.line(1), "Pieces      ########" + std::string(57, '.') + " ") << canvas.text();
  EXPECT_EQ(canvas.line(2), std::string(12, ' ') + std::string(65, '.') + " ");
}

TEST(BitTorrentPanelTest, ManyConnectionsEndWithACountOfTheRest) {
  LabModel lab = small_swarm();
  nlohmann::json conns = nlohmann::json::array();
  for (int i = 0; i < 20; ++i) conns.push_back(connection(std::to_string(i), true, true, i % 16, i, 0));
  add_peer(lab, "leecher-2", peer_sys("22", "ff00", 8, {{"peers", conns}}));
  TextCanvas canvas(kRows, kCols);
  Area area(canvas);
  BitTorrentPanel().draw(area, PanelContext{*lab.find("leecher-2"), lab});
  EXPECT_FALSE(canvas.out_of_bounds());
  EXPECT_NE(canvas.line(kRows - 1).find("more"), std::string::npos) << canvas.text();
}

TEST(BitTorrentPanelTest, TrackerShowsEveryPeersProgressInNaturalOrder) {
  LabModel lab = small_swarm();
  add_peer(lab, "leecher-10", peer_sys("10", "8000", 1));
  TextCanvas canvas(kRows, kCols);
  Area area(canvas);
  BitTorrentPanel().draw(area, PanelContext{*lab.find("tracker-0"), lab});

  EXPECT_FALSE(canvas.out_of_bounds());
  EXPECT_TRUE(canvas.contains("4 peers: 1 seeds, 3 leechers   1.5 announces/s")) << canvas.text();
  EXPECT_TRUE(canvas.contains("rarest 1  most 3"));
  EXPECT_TRUE(canvas.contains("Peers (5)"));
  EXPECT_TRUE(canvas.contains("leecher-1  [##     ] 25%")) << canvas.text();
  EXPECT_TRUE(canvas.contains("leecher-4  [#######] dead"));
  EXPECT_TRUE(canvas.contains("seed-0     [#######] 100%"));
  // leecher-3 comes before leecher-10 (numbers, not text, order the names).
  int row = canvas.row_of("leecher-1 ");
  EXPECT_LT(canvas.line(row).find("leecher-3"), canvas.line(row).find("leecher-4"));
  EXPECT_LT(canvas.text().find("leecher-3"), canvas.text().find("leecher-10"));
}

TEST(BitTorrentPanelTest, AFlashCrowdOfFortyPeersFitsWithACountOfTheRest) {
  LabModel lab = small_swarm();
  for (int i = 5; i < 41; ++i) add_peer(lab, "leecher-" + std::to_string(i), peer_sys("x", "0000", 0));
  TextCanvas canvas(kRows, kCols);
  Area area(canvas);
  BitTorrentPanel().draw(area, PanelContext{*lab.find("tracker-0"), lab});
  EXPECT_FALSE(canvas.out_of_bounds());
  EXPECT_TRUE(canvas.contains("more")) << canvas.text();
}

TEST(BitTorrentPanelTest, ANodeThatReportedNothingDrawsDashesInATinyArea) {
  LabModel lab;
  lab.apply(testing::launcher(100, "node_started", "leecher-9"), 1.0);
  TextCanvas canvas(4, 20);
  Area area(canvas);
  BitTorrentPanel().draw(area, PanelContext{*lab.find("leecher-9"), lab});
  EXPECT_FALSE(canvas.out_of_bounds());
  EXPECT_TRUE(canvas.contains("BitTorrent peer"));
  EXPECT_EQ(BitTorrentPanel().key_figure(*lab.find("leecher-9")).text, "-");
}

}  // namespace
}  // namespace p2p::dashboard
