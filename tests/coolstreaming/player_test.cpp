// Player: start-up buffering, playback on the stream's clock with misses skipped, and the continuity index,
// start-up delay and lag it reports, on a hand-made trace of segment arrivals.
#include "coolstreaming/player.h"

#include <gtest/gtest.h>

namespace p2p::coolstreaming {
namespace {

constexpr TimePoint kJoined = TimePoint{} + std::chrono::minutes(3);

PlayerConfig three_second_startup() {
  return PlayerConfig{.startup = std::chrono::seconds(3), .segment = std::chrono::seconds(1)};
}

TEST(PlayerTest, PlaysATraceSkipsTheLateSegmentAndReportsItsFigures) {
  // The peer joins at t = 0 and plays from segment 100, with a 3 s start-up of 1 s segments.
  Player player(three_second_startup(), 100, kJoined);
  BufferMap buffer(kDefaultWindow, 100);
  auto at = [](double seconds) { return kJoined + from_seconds(seconds); };

  // Arrivals: 100 at 1.0 s, 101 at 1.5 s; still buffering (3 segments needed).
  buffer.set(100);
  EXPECT_TRUE(player.advance(buffer, at(1.0)).played.empty());
  buffer.set(101);
  EXPECT_TRUE(player.advance(buffer, at(1.5)).played.empty());
  EXPECT_FALSE(player.playing());
  EXPECT_FALSE(player.startup_delay());
  EXPECT_FALSE(player.continuity());

  // 102 at 2.5 s completes the start-up: playback starts now, and 100 is due at once.
  buffer.set(102);
  Playback first = player.advance(buffer, at(2.5));
  EXPECT_EQ(first.played, (std::vector<SegmentId>{100}));
  ASSERT_TRUE(player.startup_delay());
  EXPECT_EQ(*player.startup_delay(), from_seconds(2.5));
  EXPECT_EQ(player.next_due(), at(3.5));  // 101

  // 104 arrives at 5.0 s, ahead of 103; 103 arrives at 6.0 s, half a second after its 5.5 s deadline.
  buffer.set(104);
  Playback middle = player.advance(buffer, at(5.5));
  EXPECT_EQ(middle.played, (std::vector<SegmentId>{101, 102}));
  EXPECT_EQ(middle.missed, (std::vector<SegmentId>{103}));
  buffer.set(103);
  Playback last = player.advance(buffer, at(6.5));
  EXPECT_EQ(last.played, (std::vector<SegmentId>{104}));  // 103 is not played late
  EXPECT_TRUE(last.missed.empty());

  // 5 segments due, 4 on time.
  EXPECT_EQ(player.due_count(), 5u);
  EXPECT_EQ(player.on_time_count(), 4u);
  EXPECT_EQ(player.missed_count(), 1u);
  ASSERT_TRUE(player.continuity());
  EXPECT_DOUBLE_EQ(*player.continuity(), 0.8);
  // The source has just produced segment 110; the play point is at 104: six seconds behind.
  EXPECT_EQ(player.lag(110), std::chrono::seconds(6));
  EXPECT_EQ(player.play_point(), 105u);
}

TEST(PlayerTest, WaitsForTheStartUpWithoutAGap) {
  Player player(three_second_startup(), 0, kJoined);
  BufferMap buffer(10, 0);
  for (SegmentId s : {0u, 2u, 3u, 4u, 5u}) buffer.set(s);  // five segments, but 1 is missing
  EXPECT_TRUE(player.advance(buffer, kJoined + 4s).played.empty());
  EXPECT_FALSE(player.playing());
  buffer.set(1);
  EXPECT_EQ(player.advance(buffer, kJoined + 5s).played, (std::vector<SegmentId>{0}));
  EXPECT_EQ(player.startup_delay(), std::chrono::seconds(5));
}

TEST(PlayerTest, CatchesUpOnEverySegmentDueSinceTheLastCall) {
  Player player(PlayerConfig{.startup = std::chrono::seconds(1), .segment = std::chrono::seconds(1)}, 0,
                kJoined);
  BufferMap buffer(10, 0);
  buffer.set(0);
  buffer.set(2);
  ASSERT_EQ(player.advance(buffer, kJoined).played, (std::vector<SegmentId>{0}));
  // Called late, 3.2 s on: 1, 2 and 3 all fell due meanwhile; only 2 was there.
  Playback late = player.advance(buffer, kJoined + 3200ms);
  EXPECT_EQ(late.played, (std::vector<SegmentId>{2}));
  EXPECT_EQ(late.missed, (std::vector<SegmentId>{1, 3}));
  EXPECT_EQ(player.lag(3), Duration::zero());  // the play point has reached the source's newest
}

TEST(PlayerTest, MeasuresTheStreamBufferedAheadOfThePlayPointUpToTheFirstGap) {
  Player player(three_second_startup(), 10, kJoined);
  BufferMap buffer(8, 10);
  EXPECT_EQ(player.buffered_ahead(buffer), Duration::zero());
  for (SegmentId s : {10u, 11u, 12u, 13u, 15u}) buffer.set(s);
  EXPECT_EQ(player.buffered_ahead(buffer), std::chrono::seconds(4));  // 10..13; 15 is past the gap
  player.advance(buffer, kJoined + 1s);                               // plays 10
  EXPECT_EQ(player.buffered_ahead(buffer), std::chrono::seconds(3));
  for (SegmentId s = 14; s <= 17; ++s) buffer.set(s);  // up to the window's last segment
  EXPECT_EQ(player.buffered_ahead(buffer), std::chrono::seconds(7));
}

TEST(PlayerTest, TheSchedulersClockIsProjectedWhileBufferingAndFixedOncePlaying) {
  Player player(three_second_startup(), 50, kJoined);
  BufferMap buffer(10, 50);
  // Buffering: the first segment is wanted one start-up from whenever the scheduler asks.
  EXPECT_EQ(player.clock(kJoined + 1s).due(50), kJoined + 4s);
  EXPECT_EQ(player.clock(kJoined + 2s).due(52), kJoined + 7s);
  for (SegmentId s = 50; s < 53; ++s) buffer.set(s);
  player.advance(buffer, kJoined + 2s);
  // Playing: 50 was due when playback began, and each later segment a second after the one before.
  EXPECT_EQ(player.clock(kJoined + 9s).due(50), kJoined + 2s);
  EXPECT_EQ(player.clock(kJoined + 9s).due(55), kJoined + 7s);
}

}  // namespace
}  // namespace p2p::coolstreaming
