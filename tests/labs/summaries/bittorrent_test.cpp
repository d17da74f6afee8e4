// Tests of BitTorrent's lab summariser on small hand-made telemetry records.
#include "labs/launcher/summaries/bittorrent.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "tests/labs/summaries/bittorrent_records.h"

namespace p2p::labs {
namespace {

using bittorrent_records::completed;
using bittorrent_records::launcher;
using bittorrent_records::peer_status;
using bittorrent_records::piece_done;
using bittorrent_records::started;
using bittorrent_records::status;
using nlohmann::json;

// A tracker, a seed and three leechers on 8 kbit/s (1000 B/s) uplinks; the first leecher arrives at 10 s.
std::vector<json> swarm() {
  return {
      started(0, "tracker-0", "tracker", 0),  started(0, "seed-0", "seed", 8),
      started(10, "leecher-0", "leecher", 8), started(12, "leecher-1", "leecher", 8),
      started(14, "leecher-2", "leecher", 8), completed(30, "leecher-0", 20, true),
      completed(40, "leecher-1", 28, true),   status(41, "tracker-0", "tracker", {{"peers", 4}}),
      peer_status(42, "seed-0", 0.0, 0, 0),  // complete 0 s after its start: a seed
  };
}

TEST(BitTorrentSummaryTest, CountsLeechersTheirCompletionsAndTimes) {
  std::vector<json> records = swarm();
  records.push_back(completed(50, "leecher-2", 36, true));
  json m = bittorrent_summary(records);

  EXPECT_EQ(m["leechers"], 3);  // neither the tracker nor the seed
  EXPECT_EQ(m["seeds"], 1);
  EXPECT_EQ(m["completed"], 3);
  EXPECT_EQ(m["download_time_s"], json({{"min", 20.0}, {"median", 28.0}, {"max", 36.0}}));
  EXPECT_EQ(m["corrupt_files"], 0);
  EXPECT_EQ(m["content_checked"], 3);
  // No status from the leechers: their completed events' counters stand in.
  EXPECT_DOUBLE_EQ(m["bytes_from_seeds_ratio"].get<double>(), 0.4);
}

TEST(BitTorrentSummaryTest, UtilisationIsDownloadedBytesOverUploadCapacityDuringTheDownloadPhase) {
  std::vector<json> records = swarm();
  records.push_back(completed(50, "leecher-2", 36, true));
  // The phase runs from the first leecher's start (10 s) to the last completion (50 s): 40 s. Capacity:
  // the seed and leecher-0 for 40 s, leecher-1 for 38 s, leecher-2 for 36 s, at 1000 B/s: 154,000 B.
  // The tracker has no link and is not counted.
  records.push_back(peer_status(60, "leecher-0", 20, 30'000, 10'000));
  records.push_back(peer_status(60, "leecher-1", 28, 30'000, 20'000));
  records.push_back(peer_status(60, "leecher-2", 36, 17'000, 0));
  records.push_back(launcher(70, "lab_ended", {{"reason", "duration"}}));
  json m = bittorrent_summary(records);

  EXPECT_DOUBLE_EQ(m["download_phase_s"].get<double>(), 40);
  EXPECT_DOUBLE_EQ(m["upload_utilisation"].get<double>(), 77'000.0 / 154'000);
  // The statuses are newer than the completed events, so their counters win.
  EXPECT_DOUBLE_EQ(m["bytes_from_seeds_ratio"].get<double>(), 30'000.0 / 77'000);
}

TEST(BitTorrentSummaryTest, ALeecherThatNeverFinishedStretchesThePhaseToTheEndAndCountsOnlyItsUptime) {
  std::vector<json> records = swarm();
  // leecher-2 is killed at 20 s and never completes; the run ends at 60 s.
  records.push_back(launcher(20, "node_killed", {{"node", "leecher-2"}, {"role", "leecher"}}));
  records.push_back(peer_status(19, "leecher-2", nullptr, 6'000, 6'000));
  records.push_back(launcher(60, "lab_ended", {{"reason", "duration"}}));
  json m = bittorrent_summary(records);

  EXPECT_EQ(m["leechers"], 3);
  EXPECT_EQ(m["completed"], 2);
  EXPECT_EQ(m["download_time_s"]["median"], 24.0);  // of an even count: the mean of the middle two
  EXPECT_DOUBLE_EQ(m["download_phase_s"].get<double>(), 50);
  // seed-0 and leecher-0 50 s each, leecher-1 48 s, leecher-2 6 s (14 s to 20 s): 154 s at 1000 B/s.
  EXPECT_DOUBLE_EQ(m["upload_utilisation"].get<double>(), (1000 + 1000 + 6000) / 154'000.0);
}

TEST(BitTorrentSummaryTest, AFileThatFailsEitherCheckIsCorrupt) {
  std::vector<json> records = {
      started(0, "seed-0", "seed", 8),
      started(1, "leecher-0", "leecher", 8),
      started(1, "leecher-1", "leecher", 8),
      started(1, "leecher-2", "leecher", 8),
      started(1, "leecher-3", "leecher", 8),
      completed(5, "leecher-0", 4, false),          // differs from the original
      completed(5, "leecher-1", 4, true, false),    // a piece no longer matches its hash
      completed(5, "leecher-2", 4, nullptr),        // no independent check: not counted as one
      completed(6, "leecher-3", 5, true, nullptr),  // no re-hash asked for
      peer_status(7, "seed-0", 0.0, 0, 0),
  };
  json m = bittorrent_summary(records);
  EXPECT_EQ(m["completed"], 4);
  EXPECT_EQ(m["corrupt_files"], 2);
  EXPECT_EQ(m["content_checked"], 3);
}

TEST(BitTorrentSummaryTest, NothingToMeasureGivesNullsNotErrors) {
  json m = bittorrent_summary({started(0, "seed-0", "seed", 0),
                               json::parse(R"({"v":1,"kind":"status","t":"soon","node":"x"})"),
                               status(1, "seed-0", "peer", {{"completed_s", "zero"}}), json::array()});
  EXPECT_EQ(m["leechers"], 1);  // without a numeric completed_s, seed-0 cannot be told from a leecher
  EXPECT_EQ(m["completed"], 0);
  EXPECT_TRUE(m["download_time_s"]["min"].is_null());
  EXPECT_TRUE(m["bytes_from_seeds_ratio"].is_null());
  EXPECT_TRUE(m["upload_utilisation"].is_null());
}

TEST(BitTorrentSummaryTest, TheReportDrawsEachLeechersProgressFromItsPieceDoneEvents) {
  // Two pieces stored by two leechers 10.5 s and 12 s into the run: a point each, at the pieces held then.
  EventPoints points(bittorrent_progress_plot(), 100);
  for (const json& r : {piece_done(110.5, "leecher-0", 7, 1, 4, 3), piece_done(112, "leecher-1", 2, 3, 4, 9),
                        completed(112, "leecher-1", 9, true)})
    points.add(r);
  std::ostringstream csv;
  points.write_csv(csv);
  EXPECT_EQ(csv.str(), "node,t,value\nleecher-0,10.5,1\nleecher-1,12,3\n");
}

TEST(BitTorrentSummaryTest, TheReportPlotsTheAvailabilityTimelinesAtTheirSeconds) {
  // A 12-second series and a summary with samples at 0, 5 and 10 s (and one past the end, left out).
  TimeSeries series(12);
  json summary = {{"metrics",
                   {{"min_copies_timeline", json::parse("[[0, 1], [5, 3], [10, 4], [15, 9]]")},
                    {"entropy_timeline", json::parse("[[0, 1.0], [5, null], [10, 0.5]]")}}}};
  std::vector<PlotSpec> plots = bittorrent_plots(series, summary);
  ASSERT_EQ(plots.size(), 4u);
  EXPECT_EQ(plots[0].columns, std::vector<std::string>{"min_copies"});
  EXPECT_EQ(plots[2].columns, (std::vector<std::string>{"bytes_from_seeds", "bytes_from_leechers"}));
  EXPECT_EQ(plots[3].columns, std::vector<std::string>{"completed"});
  EXPECT_EQ(series.find("bound_pace"), nullptr) << "no bound in the summary, no line";
  const std::vector<double>& copies = *series.find("min_copies");
  EXPECT_EQ(copies[0], 1);
  EXPECT_EQ(copies[5], 3);
  EXPECT_EQ(copies[10], 4);
  EXPECT_TRUE(std::isnan(copies[3])) << "no sample between";
  const std::vector<double>& entropy = *series.find("entropy");
  EXPECT_EQ(entropy[10], 0.5);
  EXPECT_TRUE(std::isnan(entropy[5])) << "a null sample stays empty";
}

TEST(BitTorrentSummaryTest, TheProgressPlotDrawsTheBoundsPaceFromNoneToTheWholeFile) {
  // A 4-piece file (the histogram's first sample counts each piece once) and a bound of 8 s: the pace
  // line climbs half a piece a second and stays at 4 once the bound is reached.
  TimeSeries series(12);
  json summary = {
      {"metrics",
       {{"bound_s", 8}, {"copies_histogram_timeline", json::parse("[[0, 1, 3], [0, 2, 1], [5, 2, 4]]")}}}};
  bittorrent_plots(series, summary);
  const std::vector<double>* pace = series.find("bound_pace");
  ASSERT_NE(pace, nullptr);
  EXPECT_EQ((*pace)[0], 0);
  EXPECT_EQ((*pace)[4], 2);
  EXPECT_EQ((*pace)[8], 4);
  EXPECT_EQ((*pace)[11], 4);
  // The progress plot draws it over the leechers' points, from the series' CSV.
  std::string script = event_plot_script(bittorrent_progress_plot(), "/run/progress.csv", "/run/plots",
                                         &series, "/run/timeseries.csv");
  EXPECT_NE(script.find("'/run/timeseries.csv' skip 1 using 1:"), std::string::npos) << script;
  EXPECT_NE(script.find("title 'bound_pace'"), std::string::npos) << script;
}

TEST(BitTorrentSummaryTest, TheHeatMapTakesTheHistogramsCellsAndSkipsMalformedOnes) {
  json summary = {
      {"metrics",
       {{"copies_histogram_timeline",
         json::parse(R"([[0, 1, 3], [0, 2, 1], [5, "two", 4], [5, -1, 4], [5, 2], [10, 2, 4]])")}}}};
  std::vector<HeatMap> maps = bittorrent_heat_maps(summary);
  ASSERT_EQ(maps.size(), 1u);
  ASSERT_EQ(maps[0].cells.size(), 3u);
  EXPECT_EQ(maps[0].cells[2].x, 10);
  EXPECT_EQ(maps[0].cells[2].y, 2);
  EXPECT_EQ(maps[0].cells[2].value, 4);
  EXPECT_TRUE(bittorrent_heat_maps(json::object())[0].cells.empty());
}

}  // namespace
}  // namespace p2p::labs
