// Tests of the mechanisms lab's timing figures (first piece, the last 5 %, free riders) on hand-made records.
#include "labs/launcher/summaries/bittorrent_timing.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/labs/summaries/bittorrent_records.h"

namespace p2p::labs::bt {
namespace {

using bittorrent_records::completed;
using bittorrent_records::launcher;
using bittorrent_records::piece_done;
using bittorrent_records::started;
using bittorrent_records::status;
using nlohmann::json;

// A seed and four leechers of a 20-piece file, started at 0 s; the run ends at 60 s. The contributors
// leecher-0 and leecher-1 finish in 14 and 21 s; of the free riders, freerider-0 takes 35 s and freerider-1
// never finishes.
std::vector<json> swarm() {
  std::vector<json> records = {started(0, "tracker-0", "tracker", 0), started(0, "seed-0", "seed", 8)};
  for (const char* node : {"leecher-0", "leecher-1", "freerider-0", "freerider-1"}) {
    records.push_back(started(0, node, "leecher", 8));
    records.push_back(status(59, node, "peer", {{"free_rider", node[0] == 'f'}}));
  }
  records.push_back(status(59, "seed-0", "peer", {{"completed_s", 0}}));
  // First pieces at 1 s and 6 s; the 19th of 20 (95 %) at 10 s and 20 s.
  records.push_back(piece_done(1, "leecher-0", 3, 1, 20, 1));
  records.push_back(piece_done(10, "leecher-0", 7, 19, 20, 10));
  records.push_back(completed(14, "leecher-0", 14, true));
  records.push_back(piece_done(6, "leecher-1", 3, 1, 20, 6));
  records.push_back(piece_done(19, "leecher-1", 8, 18, 20, 19));
  records.push_back(piece_done(20, "leecher-1", 9, 19, 20, 20));
  records.push_back(completed(21, "leecher-1", 21, true));
  records.push_back(piece_done(30, "freerider-0", 3, 1, 20, 30));
  records.push_back(completed(35, "freerider-0", 35, true));
  records.push_back(launcher(60, "lab_ended", {{"reason", "duration"}}));
  return records;
}

TEST(BitTorrentTimingTest, FirstPieceCountsALeecherThatNeverGotOneWithItsWholeWait) {
  // 1, 6, 30 s and 60 s for freerider-1, which never got a piece: the median is (6 + 30) / 2. The seed and
  // the tracker are not newcomers.
  EXPECT_DOUBLE_EQ(timing_figures(read_run(swarm())).first_piece_s_median.get<double>(), 18);
}

TEST(BitTorrentTimingTest, TailRunsFrom95PercentOfThePiecesToTheCompletion) {
  // leecher-0: 10 s to 14 s; leecher-1: 20 s to 21 s (its 18th piece is not yet 95 %); freerider-0 reached
  // 95 % unseen (no event said so) and counts for none.
  EXPECT_DOUBLE_EQ(timing_figures(read_run(swarm())).tail_95_100_s.get<double>(), (4.0 + 1.0) / 2);
}

TEST(BitTorrentTimingTest, FreeRiderSlowdownIsTheRatioOfTheMedianDownloadTimes) {
  // Free riders: 35 s and at least 60 s (never finished), median 47.5; contributors 14 and 21 s, 17.5.
  EXPECT_DOUBLE_EQ(timing_figures(read_run(swarm())).free_rider_slowdown.get<double>(), 47.5 / 17.5);
}

TEST(BitTorrentTimingTest, WithoutFreeRidersOrPiecesTheFiguresAreNull) {
  // A leecher that never said anything, and a run that ends 10 s after its start.
  TimingFigures figures = timing_figures(
      read_run({started(0, "leecher-0", "leecher", 8), launcher(10, "lab_ended", {{"reason", "duration"}})}));
  EXPECT_TRUE(figures.free_rider_slowdown.is_null());
  EXPECT_TRUE(figures.tail_95_100_s.is_null());
  EXPECT_EQ(figures.first_piece_s_median, 10.0);  // it waited to the end of the run
}

TEST(BitTorrentTimingTest, CompletedTimelineCountsTheLeechersDoneByEachSample) {
  // Completions at 14, 21 and 35 s, sampled every 5 s of the 60 s run; one sent at a sample's second counts
  // in it, and the seed, which never completes, is not a leecher.
  EXPECT_EQ(timing_figures(read_run(swarm())).completed_timeline,
            json::parse("[[0, 0], [5, 0], [10, 0], [15, 1], [20, 1], [25, 2], [30, 2], [35, 3], [40, 3], "
                        "[45, 3], [50, 3], [55, 3], [60, 3]]"));
}

}  // namespace
}  // namespace p2p::labs::bt
