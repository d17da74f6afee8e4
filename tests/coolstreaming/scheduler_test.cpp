// Scheduler: on hand-made buffer maps ("1" = the partner holds that segment of the window), DONet keeps to
// deadlines, takes the rarest segment first and the fastest supplier in time; the baselines differ as they
// should; what no partner is asked for in time comes back as urgent.
#include "coolstreaming/scheduler.h"

#include <gtest/gtest.h>

#include <set>
#include <string_view>

namespace p2p::coolstreaming {
namespace {

constexpr TimePoint kNow = TimePoint{} + std::chrono::minutes(10);

// A window of bits.size() segments from `start`, holding those marked '1'.
BufferMap map_of(SegmentId start, std::string_view bits) {
  BufferMap map(static_cast<std::uint16_t>(bits.size()), start);
  for (std::size_t i = 0; i < bits.size(); ++i) {
    if (bits[i] == '1') map.set(start + static_cast<SegmentId>(i));
  }
  return map;
}

Endpoint partner(std::uint16_t port) {
  return Endpoint{.host = "10.0.0.1", .port = port};
}

// Segment `first` is due `first_due` from now, then one every second.
PlaybackClock clock_from(SegmentId first, Duration first_due) {
  return PlaybackClock{.origin = kNow + first_due, .first = first, .segment = std::chrono::seconds(1)};
}

Schedule plan(SchedulerKind kind, const BufferMap& own, std::span<const Supplier> suppliers,
              const PlaybackClock& clock, std::span<const SegmentId> pending = {}) {
  Rng rng(7);
  return Scheduler(SchedulerConfig{.kind = kind, .urgent_horizon = std::chrono::seconds(2)})
      .plan(own, pending, suppliers, clock, kNow, rng);
}

TEST(SchedulerTest, ASegmentNoSupplierCanDeliverInTimeIsUrgentNotRequested) {
  // Segments 0..3 are due in 0.5 s, 1.5 s, 2.5 s, 3.5 s. The only supplier sends one segment a second.
  BufferMap own(4, 0);
  BufferMap a = map_of(0, "1111");
  std::vector<Supplier> suppliers{
      {.id = partner(1), .buffer = &a, .segments_per_second = 1, .outstanding = 0}};
  Schedule schedule = plan(SchedulerKind::Donet, own, suppliers, clock_from(0, 500ms));
  // Segment 0 would arrive after 1 s, half a second late: the hybrid server is asked instead.
  EXPECT_EQ(schedule.urgent, (std::vector<SegmentId>{0}));
  // The others arrive at 1 s, 2 s and 3 s, each before its deadline.
  EXPECT_EQ(schedule.requests,
            (std::vector<SegmentRequest>{{partner(1), 1}, {partner(1), 2}, {partner(1), 3}}));
}

TEST(SchedulerTest, RequestsNothingAlreadyDueAlreadyHeldOrAlreadyAsked) {
  BufferMap own = map_of(0, "01000");
  BufferMap a = map_of(0, "11111");
  std::vector<Supplier> suppliers{
      {.id = partner(1), .buffer = &a, .segments_per_second = 10, .outstanding = 0}};
  std::vector<SegmentId> pending{3};
  // Segment 0 was due a second ago; 1 is held; 3 is on its way.
  Schedule schedule = plan(SchedulerKind::Donet, own, suppliers, clock_from(0, -1s), pending);
  EXPECT_EQ(schedule.requests, (std::vector<SegmentRequest>{{partner(1), 2}, {partner(1), 4}}));
  EXPECT_TRUE(schedule.urgent.empty());
}

TEST(SchedulerTest, TakesTheRarestSegmentFirst) {
  // 100 ms segments, segment 0 due in 0.5 s. B (4 segments/s) holds 0, 1 and 2; A (2/s) only 0 and 1.
  BufferMap own(3, 0);
  BufferMap a = map_of(0, "110");
  BufferMap b = map_of(0, "111");
  std::vector<Supplier> suppliers{
      {.id = partner(1), .buffer = &a, .segments_per_second = 2, .outstanding = 0},
      {.id = partner(2), .buffer = &b, .segments_per_second = 4, .outstanding = 0}};
  PlaybackClock clock{.origin = kNow + 500ms, .first = 0, .segment = 100ms};
  Schedule schedule = plan(SchedulerKind::Donet, own, suppliers, clock);
  // Segment 2 has one supplier, so it goes first, to B (at 0.25 s). Segment 0 then still fits at B (0.5 s,
  // due 0.5 s), which is faster than A; segment 1 would come from B at 0.75 s, after its 0.6 s deadline, so
  // A sends it (at 0.5 s). Taken in segment order, B would have spent its time on 0 and 1 and segment 2,
  // which only B has, would have missed its deadline.
  EXPECT_EQ(schedule.requests,
            (std::vector<SegmentRequest>{{partner(2), 2}, {partner(2), 0}, {partner(1), 1}}));
  EXPECT_TRUE(schedule.urgent.empty());
}

TEST(SchedulerTest, PicksTheSupplierWithTheMostSpareBandwidthUntilItRunsOutOfTime) {
  // Six segments, all due in one second (a clock whose segments fall due together keeps the deadlines'
  // spacing out of the picture), all held by A (1 segment/s), B (4/s) and C (2/s, but with 2 segments
  // already outstanding it is busy for the whole second).
  BufferMap own(6, 0);
  BufferMap all = map_of(0, "111111");
  std::vector<Supplier> suppliers{
      {.id = partner(1), .buffer = &all, .segments_per_second = 1, .outstanding = 0},
      {.id = partner(2), .buffer = &all, .segments_per_second = 4, .outstanding = 0},
      {.id = partner(3), .buffer = &all, .segments_per_second = 2, .outstanding = 2}};
  PlaybackClock clock{.origin = kNow + 1s, .first = 0, .segment = Duration::zero()};
  Schedule schedule = plan(SchedulerKind::Donet, own, suppliers, clock);
  // B delivers at 0.25, 0.5, 0.75 and 1.0 s; then A is the only one still in time, for one segment.
  EXPECT_EQ(schedule.requests,
            (std::vector<SegmentRequest>{
                {partner(2), 0}, {partner(2), 1}, {partner(2), 2}, {partner(2), 3}, {partner(1), 4}}));
  EXPECT_EQ(schedule.urgent, (std::vector<SegmentId>{5}));
}

TEST(SchedulerTest, SequentialAsksTheFirstHolderWhateverItsBandwidthOrDeadline) {
  BufferMap own(4, 0);
  BufferMap slow = map_of(0, "0111");
  BufferMap fast = map_of(0, "1111");
  std::vector<Supplier> suppliers{
      {.id = partner(1), .buffer = &slow, .segments_per_second = 0.1, .outstanding = 0},
      {.id = partner(2), .buffer = &fast, .segments_per_second = 100, .outstanding = 0}};
  Schedule schedule = plan(SchedulerKind::Sequential, own, suppliers, clock_from(0, 500ms));
  EXPECT_EQ(schedule.requests, (std::vector<SegmentRequest>{
                                   {partner(2), 0}, {partner(1), 1}, {partner(1), 2}, {partner(1), 3}}));
  EXPECT_TRUE(schedule.urgent.empty());  // every segment was asked of someone, in time or not
  // DONet on the same maps: the slow partner could deliver nothing in time, so the fast one sends all four.
  Schedule donet = plan(SchedulerKind::Donet, own, suppliers, clock_from(0, 500ms));
  EXPECT_EQ(donet.requests, (std::vector<SegmentRequest>{
                                {partner(2), 0}, {partner(2), 1}, {partner(2), 2}, {partner(2), 3}}));
}

TEST(SchedulerTest, RandomSpreadsRequestsOverTheHoldersAtRandom) {
  BufferMap own(40, 0);
  BufferMap a = map_of(0, std::string(40, '1'));
  BufferMap b = map_of(0, std::string(20, '1') + std::string(20, '0'));
  std::vector<Supplier> suppliers{
      {.id = partner(1), .buffer = &a, .segments_per_second = 1, .outstanding = 0},
      {.id = partner(2), .buffer = &b, .segments_per_second = 1, .outstanding = 0}};
  Schedule schedule = plan(SchedulerKind::Random, own, suppliers, clock_from(0, 100ms));
  ASSERT_EQ(schedule.requests.size(), 40u);  // every missing segment, deadline or not
  std::set<std::uint16_t> first_half;
  for (const SegmentRequest& r : schedule.requests) {
    if (r.segment < 20) {
      first_half.insert(r.partner.port);
    } else {
      EXPECT_EQ(r.partner, partner(1)) << "only A holds segment " << r.segment;
    }
  }
  EXPECT_EQ(first_half, (std::set<std::uint16_t>{1, 2}));  // both holders drawn, not always the first
}

TEST(SchedulerTest, ASegmentNobodyHoldsIsUrgentOnlyWhenItIsDueSoon) {
  BufferMap own(5, 0);
  BufferMap a = map_of(0, "00000");
  std::vector<Supplier> suppliers{
      {.id = partner(1), .buffer = &a, .segments_per_second = 5, .outstanding = 0}};
  // Due in 0.5, 1.5, 2.5, ... s: only the first two fall within the two-second horizon.
  for (SchedulerKind kind : {SchedulerKind::Donet, SchedulerKind::Random, SchedulerKind::Sequential}) {
    Schedule schedule = plan(kind, own, suppliers, clock_from(0, 500ms));
    EXPECT_TRUE(schedule.requests.empty());
    EXPECT_EQ(schedule.urgent, (std::vector<SegmentId>{0, 1}));
  }
}

}  // namespace
}  // namespace p2p::coolstreaming
