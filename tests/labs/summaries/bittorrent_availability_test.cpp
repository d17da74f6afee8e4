// Tests of the swarm's availability over time (minimum copies, Legout et al.'s entropy) on hand-made records.
#include "labs/launcher/summaries/bittorrent_availability.h"

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

// A seed and two leechers of a 4-piece file, all started at 0 s. leecher-0 stores a piece a second from 1 s
// and is done at 4 s; leecher-1 stores pieces 0 to 2 at 6 to 8 s and piece 3 at 12 s; the seed leaves at
// 9 s. The last statuses carry the bitfields at the end ("f0": all 4 pieces), which the peers that stored
// pieces did not start with.
std::vector<json> swarm() {
  std::vector<json> records = {started(0, "seed-0", "seed", 8), started(0, "leecher-0", "leecher", 8),
                               started(0, "leecher-1", "leecher", 8)};
  for (int piece = 0; piece < 4; ++piece) {
    records.push_back(piece_done(1 + piece, "leecher-0", piece, piece + 1, 4, 1 + piece));
    records.push_back(piece_done(piece < 3 ? 6 + piece : 12, "leecher-1", piece, piece + 1, 4, 0));
  }
  records.push_back(completed(4, "leecher-0", 4, true));
  records.push_back(launcher(9, "node_left", {{"node", "seed-0"}}));
  records.push_back(completed(12, "leecher-1", 12, true));
  records.push_back(status(8, "seed-0", "peer", {{"pieces", 4}, {"bitfield", "f0"}, {"completed_s", 0}}));
  for (const char* leecher : {"leecher-0", "leecher-1"})
    records.push_back(status(13, leecher, "peer", {{"pieces", 4}, {"bitfield", "f0"}}));
  return records;
}

TEST(BitTorrentAvailabilityTest, CountsTheRarestPiecesCopiesAmongThePeersUpAtEachSample) {
  AvailabilityTimelines a = availability_timelines(read_run(swarm()), 0, 12);
  // 0 s: only the seed holds anything (1 copy each). 5 s: the seed and leecher-0 (2). 10 s: the seed has
  // left and leecher-1 still lacks piece 3 (1).
  EXPECT_EQ(a.min_copies, json::parse("[[0, 1], [5, 2], [10, 1]]"));
  EXPECT_DOUBLE_EQ(a.min_copies_mean.get<double>(), 4.0 / 3);
}

TEST(BitTorrentAvailabilityTest, TheHistogramCountsThePiecesWithEachNumberOfCopies) {
  AvailabilityTimelines a = availability_timelines(read_run(swarm()), 0, 12);
  // 0 s: all 4 pieces on the seed only. 5 s: on the seed and leecher-0. 10 s: the seed has left; pieces 0 to
  // 2 are on both leechers, piece 3 on leecher-0 only. Counts with no piece are left out.
  EXPECT_EQ(a.histogram, json::parse("[[0, 1, 4], [5, 2, 4], [10, 1, 1], [10, 2, 3]]"));
}

TEST(BitTorrentAvailabilityTest, EntropyIsTheShareOfLeecherPeerPairsWhereTheLeecherIsInterested) {
  AvailabilityTimelines a = availability_timelines(read_run(swarm()), 0, 12);
  // 0 s: each leecher wants the seed's pieces but nothing from the other, empty leecher: 2 of 4 pairs.
  // 5 s: leecher-0 is done; leecher-1 wants something from both others: 2 of 2. 10 s: 1 of 1.
  EXPECT_EQ(a.entropy, json::parse("[[0, 0.5], [5, 1.0], [10, 1.0]]"));
  EXPECT_DOUBLE_EQ(a.entropy_mean.get<double>(), 2.5 / 3);
}

TEST(BitTorrentAvailabilityTest, LeechersThatHoldTheSamePiecesCannotTrade) {
  // Two leechers that fetched front to back, one a piece ahead, and no seed: the one behind wants the one
  // ahead, never the other way round (Legout et al.'s entropy is 0.5), and piece 3 has no copy at all.
  std::vector<json> records = {started(0, "leecher-0", "leecher", 8), started(0, "leecher-1", "leecher", 8),
                               piece_done(1, "leecher-0", 0, 1, 4, 1), piece_done(2, "leecher-0", 1, 2, 4, 2),
                               piece_done(1, "leecher-1", 0, 1, 4, 1)};
  // At 0 s neither holds anything, so neither can want the other; at 5 s the one behind wants the one ahead.
  AvailabilityTimelines a = availability_timelines(read_run(records), 0, 5);
  EXPECT_EQ(a.entropy, json::parse("[[0, 0.0], [5, 0.5]]"));
  EXPECT_EQ(a.min_copies, json::parse("[[0, 0], [5, 0]]"));
}

TEST(BitTorrentAvailabilityTest, SamplesCountFromTheRunsStartWithinThePhaseAsked) {
  // The lab starts at 100 s; asked from 107 s to 118 s, the samples fall at 10 s and 15 s after the start.
  std::vector<json> records = swarm();
  for (json& r : records) r["t"] = r["t"].get<double>() + 100;
  records.insert(records.begin(), launcher(100, "lab_started", json::object()));
  AvailabilityTimelines a = availability_timelines(read_run(records), 107, 118);
  EXPECT_EQ(a.min_copies, json::parse("[[10, 1], [15, 2]]"));
}

TEST(BitTorrentAvailabilityTest, NoPiecesKnownGivesEmptyTimelinesAndNullMeans) {
  AvailabilityTimelines a = availability_timelines(read_run({started(0, "leecher-0", "leecher", 8)}), 0, 10);
  EXPECT_EQ(a.min_copies, json::array());
  EXPECT_TRUE(a.entropy_mean.is_null());
}

}  // namespace
}  // namespace p2p::labs::bt
