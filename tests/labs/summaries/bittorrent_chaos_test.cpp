// Tests of BitTorrent's chaos figures: survivors, completions, and resumes checked piece by piece.
#include "labs/launcher/summaries/bittorrent_chaos.h"

#include <gtest/gtest.h>

#include <vector>

#include "labs/launcher/summaries/bittorrent.h"
#include "tests/labs/summaries/bittorrent_records.h"

namespace p2p::labs {
namespace {

using namespace bittorrent_records;

json killed(double t, const std::string& node) {
  return launcher(t, "node_killed", {{"node", node}, {"role", "leecher"}, {"pid", 100}, {"by", "timeline"}});
}
json restarted(double t, const std::string& node) {
  return launcher(t, "node_restarted", {{"node", node}, {"role", "leecher"}, {"pid", 101}});
}
json resumed(double t, const std::string& node, int have) {
  json r = record(t, "event", node, "bittorrent", "peer");
  r["event"] = "resumed";
  r["data"] = {{"have", have}, {"pieces", 4}};
  return r;
}

TEST(BittorrentChaosTest, ARunWithoutAKillHasNoChaosFigures) {
  json m = bittorrent_summary({started(0, "seed-0", "seed", 0), started(0, "leecher-0", "leecher", 0),
                               piece_done(1, "leecher-0", 0, 1, 4, 1)});
  EXPECT_FALSE(m.contains("survivors")) << m.dump(2);
}

TEST(BittorrentChaosTest, CountsSurvivorsAndChecksEachResumeAgainstWhatWasStoredBefore) {
  // leecher-0 stores pieces 0 and 1, is killed at 5 s, restarts at 8 s finding both and fetches 2 and 3:
  // a clean resume. leecher-1 stores piece 0, is killed and restarted, finds nothing and fetches piece 0
  // again: one lost, one refetched. leecher-2 is killed for good; leecher-3 never completes.
  std::vector<json> records = {
      started(0, "seed-0", "seed", 0),
      peer_status(20, "seed-0", 0, 0, 0),
      started(0, "leecher-0", "leecher", 0),
      started(0, "leecher-1", "leecher", 0),
      started(0, "leecher-2", "leecher", 0),
      started(0, "leecher-3", "leecher", 0),
      piece_done(1, "leecher-0", 0, 1, 4, 1),
      piece_done(2, "leecher-0", 1, 2, 4, 2),
      piece_done(2, "leecher-1", 0, 1, 4, 2),
      killed(5, "leecher-0"),
      killed(5, "leecher-1"),
      killed(6, "leecher-2"),
      restarted(8, "leecher-0"),
      resumed(8.1, "leecher-0", 2),
      restarted(8, "leecher-1"),
      piece_done(9, "leecher-0", 2, 3, 4, 1),
      piece_done(10, "leecher-0", 3, 4, 4, 2),
      completed(10, "leecher-0", 2, true),
      piece_done(11, "leecher-1", 0, 1, 4, 3),
  };
  json m = bittorrent_summary(records);
  EXPECT_EQ(m["leechers_killed"], 3) << m.dump(2);
  EXPECT_EQ(m["survivors"], 3);
  EXPECT_EQ(m["survivors_completed"], 1);
  EXPECT_EQ(m["resumes"], 1);
  EXPECT_EQ(m["resumed_pieces"], 2);
  EXPECT_EQ(m["resume_lost_pieces"], 1);
  EXPECT_EQ(m["refetched_pieces"], 1);
}

}  // namespace
}  // namespace p2p::labs
