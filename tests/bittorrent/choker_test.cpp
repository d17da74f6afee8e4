// Choker: tit-for-tat regular slots, the rotating optimistic unchoke with newcomers favoured, anti-snubbing
// and round robin, driven by fake rates and a hand-set clock.
#include "bittorrent/choker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <ranges>
#include <set>

namespace p2p::bittorrent {
namespace {

constexpr TimePoint kStart = TimePoint{} + std::chrono::hours(1);

// An interested peer `id`, connected 5 minutes before kStart, that has just sent us a block.
PeerView peer(std::uint64_t id, double rate_to_us, double rate_from_us = 0) {
  PeerView view;
  view.id = ConnId(id);
  view.interested = true;
  view.rate_to_us = rate_to_us;
  view.rate_from_us = rate_from_us;
  view.connected_at = kStart - std::chrono::minutes(5);
  view.last_piece_at = kStart;
  view.chokes_us = false;
  return view;
}

std::vector<ConnId> ids(std::initializer_list<std::uint64_t> values) {
  std::vector<ConnId> out;
  for (auto v : values) out.emplace_back(v);
  return out;
}

ChokerConfig without_optimistic() {
  ChokerConfig options;
  options.optimistic = false;
  return options;
}

TEST(ChokerTest, UnchokesTheFourFastestUploaders) {
  Choker choker(without_optimistic());
  Rng rng(1);
  std::vector<PeerView> peers = {peer(1, 10), peer(2, 60), peer(3, 30),
                                 peer(4, 50), peer(5, 20), peer(6, 40)};
  ChokeDecision decision = choker.rechoke(peers, false, kStart, rng);
  EXPECT_EQ(decision.regular, ids({2, 4, 6, 3}));  // fastest first
  EXPECT_TRUE(decision.optimistic.empty());
  EXPECT_FALSE(decision.unchokes(ConnId(1)));
}

TEST(ChokerTest, UnlimitedSlotsUnchokeEveryInterestedPeer) {
  ChokerConfig options;
  options.regular_slots = kUnlimitedSlots;
  Choker choker(options);
  Rng rng(1);
  // A seed with 40 interested peers and one that wants nothing: the 40 get a regular slot each, so the
  // optimistic draw has nobody left.
  std::vector<PeerView> peers;
  for (std::uint64_t id = 1; id <= 40; ++id) peers.push_back(peer(id, 0, static_cast<double>(id)));
  PeerView idle = peer(41, 0);
  idle.interested = false;
  peers.push_back(idle);
  ChokeDecision decision = choker.rechoke(peers, true, kStart, rng);
  EXPECT_EQ(decision.regular.size(), 40u);
  EXPECT_TRUE(decision.optimistic.empty());
  EXPECT_FALSE(decision.unchokes(ConnId(41)));
}

// A seed's peer `id`, unchoked `ago` before kStart (or choked, if `ago` is empty); nobody uploads to a seed.
PeerView seed_peer(std::uint64_t id, double rate_from_us, std::optional<Duration> ago) {
  PeerView view = peer(id, 0, rate_from_us);
  view.last_piece_at.reset();
  view.unchoked = ago.has_value();
  if (ago) view.unchoked_at = kStart - *ago;
  return view;
}

TEST(ChokerTest, ASeedKeepsThePeersItUnchokedMostRecently) {
  Choker choker(without_optimistic());
  Rng rng(1);
  using std::chrono::seconds;
  // Peer 6 downloads fastest but is choked; a seed does not rank by that rate (a free rider would win).
  std::vector<PeerView> peers = {seed_peer(1, 5, seconds(15)), seed_peer(2, 1, seconds(2)),
                                 seed_peer(3, 4, seconds(12)), seed_peer(4, 3, seconds(5)),
                                 seed_peer(5, 2, seconds(18)), seed_peer(6, 50, std::nullopt)};
  ChokeDecision decision = choker.rechoke(peers, true, kStart, rng);
  EXPECT_EQ(decision.regular, ids({2, 4, 3, 1}));  // newest first; 5, unchoked longest ago, drops out
}

TEST(ChokerTest, ASeedRanksPeersUnchokedLongAgoByRateAfterTheRecentOnes) {
  Choker choker(without_optimistic());
  Rng rng(1);
  using std::chrono::seconds;
  // Unchoked over 20 s ago: by the rate they download from us, unless they still have requests waiting.
  std::vector<PeerView> peers = {seed_peer(1, 1, seconds(40)), seed_peer(2, 9, seconds(50)),
                                 seed_peer(3, 5, seconds(60)), seed_peer(4, 0, seconds(70)),
                                 seed_peer(5, 0, seconds(5))};
  peers[3].requests_waiting = true;
  ChokeDecision decision = choker.rechoke(peers, true, kStart, rng);
  EXPECT_EQ(decision.regular, ids({5, 4, 2, 3}));
}

TEST(ChokerTest, ASeedGivesEveryPeerAboutTheSameServiceTime) {
  Choker choker;  // 4 regular slots and the optimistic unchoke, every 10 s
  Rng rng(7);
  // 12 interested peers; peer 1 downloads 20 times as fast as the others (a free rider with an idle uplink).
  std::vector<PeerView> peers;
  for (std::uint64_t id = 1; id <= 12; ++id) peers.push_back(seed_peer(id, id == 1 ? 20 : 1, std::nullopt));
  std::map<ConnId, int> rounds_unchoked;
  constexpr int kRounds = 120;
  for (int round = 0; round < kRounds; ++round) {
    TimePoint now = kStart + std::chrono::seconds(10 * round);
    ChokeDecision decision = choker.rechoke(peers, true, now, rng);
    for (PeerView& p : peers) {
      bool unchoked = decision.unchokes(p.id);
      if (unchoked && !p.unchoked) p.unchoked_at = now;
      p.unchoked = unchoked;
      p.requests_waiting = unchoked;  // an unchoked peer keeps requests queued, as a downloading peer does
      if (unchoked) ++rounds_unchoked[p.id];
    }
  }
  // 5 slots among 12 peers: 50 rounds each on average; no peer gets twice another's share, the fast one
  // included.
  auto [least, most] = std::ranges::minmax(rounds_unchoked | std::views::values);
  EXPECT_EQ(rounds_unchoked.size(), 12u);
  EXPECT_GE(least * 2, most) << "least " << least << ", most " << most;
  EXPECT_LE(rounds_unchoked[ConnId(1)], 70);
}

TEST(ChokerTest, LeavesUninterestedPeersChoked) {
  Choker choker(without_optimistic());
  Rng rng(1);
  std::vector<PeerView> peers = {peer(1, 100), peer(2, 10)};
  peers[0].interested = false;  // the fastest uploader wants nothing from us
  EXPECT_EQ(choker.rechoke(peers, false, kStart, rng).regular, ids({2}));
}

TEST(ChokerTest, DoesNotReciprocateASnubbingPeer) {
  Choker choker(without_optimistic());
  Rng rng(1);
  std::vector<PeerView> peers = {peer(1, 100), peer(2, 10), peer(3, 5)};
  // Peer 1 has the best average rate, but sent nothing for 60 s: it is snubbing us.
  peers[0].last_piece_at = kStart - std::chrono::seconds(60);
  EXPECT_TRUE(choker.is_snubbed(peers[0], kStart));
  EXPECT_EQ(choker.rechoke(peers, false, kStart, rng).regular, ids({2, 3}));
  // A peer that never sent a block is judged from when it connected: 30 s in, it is not snubbing yet.
  peers[0].last_piece_at.reset();
  peers[0].connected_at = kStart - std::chrono::seconds(30);
  EXPECT_EQ(choker.rechoke(peers, false, kStart, rng).regular, ids({1, 2, 3}));
}

TEST(ChokerTest, RotatesTheOptimisticUnchokeEveryThirtySeconds) {
  Choker choker;
  Rng rng(7);
  std::vector<PeerView> peers;
  for (std::uint64_t id = 1; id <= 12; ++id) peers.push_back(peer(id, static_cast<double>(100 - id)));
  // Peers 1-4 hold the regular slots; one of 5-12 is the optimistic unchoke, kept for 30 s.
  std::vector<ConnId> optimistic_by_period;
  for (int round = 0; round < 12; ++round) {
    TimePoint now = kStart + std::chrono::seconds(10 * round);
    for (PeerView& p : peers) p.last_piece_at = now;  // everyone keeps sending: nobody is snubbing
    ChokeDecision decision = choker.rechoke(peers, false, now, rng);
    EXPECT_EQ(decision.regular, ids({1, 2, 3, 4}));
    ASSERT_EQ(decision.optimistic.size(), 1u);
    EXPECT_GE(decision.optimistic[0].value, 5u);
    if (round % 3 == 0) {
      optimistic_by_period.push_back(decision.optimistic[0]);
    } else {
      EXPECT_EQ(decision.optimistic[0], optimistic_by_period.back())
          << "changed within its 30 s, round " << round;
    }
  }
  // Over four periods the draw moved on to other peers.
  EXPECT_GT(std::set<ConnId>(optimistic_by_period.begin(), optimistic_by_period.end()).size(), 1u);
}

TEST(ChokerTest, NewcomersAreThreeTimesAsLikelyToBeUnchokedOptimistically) {
  ChokerConfig options;
  options.regular_slots = 0;  // only the optimistic draw decides
  int newcomer_drawn = 0;
  constexpr int kTrials = 4000;
  for (int trial = 0; trial < kTrials; ++trial) {
    Choker choker(options);
    Rng rng(static_cast<std::uint64_t>(trial) + 1);
    std::vector<PeerView> peers = {peer(1, 0), peer(2, 0)};
    peers[1].connected_at = kStart - std::chrono::seconds(20);  // a newcomer
    ChokeDecision decision = choker.rechoke(peers, false, kStart, rng);
    if (decision.optimistic.at(0) == ConnId(2)) ++newcomer_drawn;
  }
  // Weights 3 : 1, so the newcomer wins three draws in four.
  EXPECT_NEAR(static_cast<double>(newcomer_drawn) / kTrials, 0.75, 0.03);
}

TEST(ChokerTest, ALeecherChokedByEveryoneUsesMoreOptimisticSlots) {
  Choker choker;
  Rng rng(1);
  std::vector<PeerView> peers;
  for (std::uint64_t id = 1; id <= 10; ++id) {
    peers.push_back(peer(id, 0));
    peers.back().chokes_us = true;
  }
  ChokeDecision decision = choker.rechoke(peers, false, kStart, rng);
  EXPECT_EQ(decision.optimistic.size(), 3u);
  // One peer unchokes us: back to a single optimistic slot at the next rechoke.
  peers[9].chokes_us = false;
  decision = choker.rechoke(peers, false, kStart + std::chrono::seconds(10), rng);
  EXPECT_EQ(decision.optimistic.size(), 1u);
  // A seed never counts as choked: it downloads nothing.
  Choker seed;
  for (PeerView& p : peers) p.chokes_us = true;
  EXPECT_EQ(seed.rechoke(peers, true, kStart, rng).optimistic.size(), 1u);
}

TEST(ChokerTest, ReplacesAnOptimisticPeerThatLeaves) {
  ChokerConfig options;
  options.regular_slots = 1;
  Choker choker(options);
  Rng rng(3);
  std::vector<PeerView> peers = {peer(1, 50), peer(2, 0), peer(3, 0)};
  ConnId first = choker.rechoke(peers, false, kStart, rng).optimistic.at(0);
  std::erase_if(peers, [&](const PeerView& p) { return p.id == first; });
  // 10 s later, well within the period, the slot is not left empty.
  ChokeDecision decision = choker.rechoke(peers, false, kStart + std::chrono::seconds(10), rng);
  ASSERT_EQ(decision.optimistic.size(), 1u);
  EXPECT_NE(decision.optimistic[0], first);
  EXPECT_NE(decision.optimistic[0], ConnId(1));  // never the peer that already holds a regular slot
}

TEST(ChokerTest, RoundRobinServesEveryInterestedPeerInTurn) {
  ChokerConfig options = without_optimistic();
  options.strategy = ChokeStrategy::RoundRobin;
  Choker choker(options);
  Rng rng(1);
  // Rates do not matter: peer 6 gives the most, yet waits its turn.
  std::vector<PeerView> peers = {peer(1, 1), peer(2, 2), peer(3, 3), peer(4, 4), peer(5, 5), peer(6, 600)};
  EXPECT_EQ(choker.rechoke(peers, false, kStart, rng).regular, ids({1, 2, 3, 4}));
  EXPECT_EQ(choker.rechoke(peers, false, kStart + std::chrono::seconds(10), rng).regular, ids({5, 6, 1, 2}));
  EXPECT_EQ(choker.rechoke(peers, false, kStart + std::chrono::seconds(20), rng).regular, ids({3, 4, 5, 6}));
}

}  // namespace
}  // namespace p2p::bittorrent
