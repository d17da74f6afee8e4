// Tests of where the leechers' bytes came from over time, on hand-made records.
#include "labs/launcher/summaries/bittorrent_sources.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/labs/summaries/bittorrent_records.h"

namespace p2p::labs::bt {
namespace {

using bittorrent_records::launcher;
using bittorrent_records::piece_done;
using bittorrent_records::started;
using bittorrent_records::status;
using nlohmann::json;

// A piece_done event that says how many bytes came from seeds and from leechers so far.
json piece_from(double t, const std::string& node, int have, double from_seeds, double from_leechers) {
  json r = piece_done(t, node, have - 1, have, 8, t);
  r["data"]["from_seeds"] = from_seeds;
  r["data"]["from_leechers"] = from_leechers;
  return r;
}

TEST(BitTorrentSourcesTest, SumsEachLeechersLatestCountersAndKeepsThoseOfLeechersThatLeft) {
  // A tracker, a seed and two leechers from 0 s; the run ends at 12 s. leecher-0 gets 150 bytes from the
  // seed and 250 from leecher-1 by 4 s, and leaves at 6 s. leecher-1 gets 300 from leechers by 7 s; its
  // piece at 11 s comes from an older peer that does not say, so its counters stay.
  std::vector<json> records = {started(0, "tracker-0", "tracker", 0),
                               started(0, "seed-0", "seed", 8),
                               started(0, "leecher-0", "leecher", 8),
                               started(0, "leecher-1", "leecher", 8),
                               piece_from(1, "leecher-0", 1, 100, 0),
                               piece_from(4, "leecher-0", 2, 150, 250),
                               launcher(6, "node_left", {{"node", "leecher-0"}}),
                               piece_from(7, "leecher-1", 1, 0, 300),
                               piece_done(11, "leecher-1", 1, 2, 8, 11),
                               status(5, "seed-0", "peer", {{"completed_s", 0}}),
                               launcher(12, "lab_ended", {{"reason", "duration"}})};
  EXPECT_EQ(sources_timeline(read_run(records)), json::parse("[[0, 0, 0], [5, 150, 250], [10, 150, 550]]"));
}

TEST(BitTorrentSourcesTest, WithoutLeechersEverySampleIsZero) {
  std::vector<json> records = {started(0, "seed-0", "seed", 8),
                               status(5, "seed-0", "peer", {{"completed_s", 0}})};
  EXPECT_EQ(sources_timeline(read_run(records)), json::parse("[[0, 0, 0], [5, 0, 0]]"));
}

}  // namespace
}  // namespace p2p::labs::bt
