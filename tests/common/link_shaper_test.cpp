// TokenBucket and ShapedQueue on a hand-turned clock: caps, latency, order, fair sharing between connections,
// and per-connection accounting.
#include "common/net/link_shaper.h"

#include <gtest/gtest.h>

#include <optional>

namespace p2p {
namespace {

// Drains a queue every millisecond for `span`, returning the bytes released and the time of the last one.
std::pair<std::size_t, TimePoint> drain(ShapedQueue& q, TimePoint start, Duration span) {
  std::size_t bytes = 0;
  TimePoint last = start;
  for (TimePoint t = start; t <= start + span; t += std::chrono::milliseconds(1)) {
    q.release(t, [&](ShapedQueue::Segment&& s) {
      bytes += s.bytes.size();
      last = t;
    });
  }
  return {bytes, last};
}

TEST(ShapedQueueTest, AnUncappedQueueWithoutLatencyIsAPassthrough) {
  ShapedQueue q(0, Duration{0}, TimePoint{});
  EXPECT_TRUE(q.passthrough());
  q.push(ConnId(1), Bytes(100000), TimePoint{});
  EXPECT_EQ(drain(q, TimePoint{}, Duration{0}).first, 100000u);
}

TEST(ShapedQueueTest, ACapOfOneMegabitPassesOneMegabitPerSecond) {
  // Queue 2 s worth at 1 Mbit/s (250,000 bytes) and watch it leave.
  ShapedQueue q(1'000'000, Duration{0}, TimePoint{});
  q.push(ConnId(1), Bytes(250'000), TimePoint{});
  auto [in_one_second, _] = drain(q, TimePoint{}, std::chrono::seconds(1));
  EXPECT_NEAR(static_cast<double>(in_one_second), 125'000.0,
              20'000.0);  // one burst of 16 KiB plus 1 s of tokens
  auto [rest, last] = drain(q, TimePoint{} + std::chrono::seconds(1), std::chrono::seconds(2));
  EXPECT_EQ(in_one_second + rest, 250'000u);
  EXPECT_NEAR(to_seconds(last.time_since_epoch()), 1.87, 0.1);
}

TEST(ShapedQueueTest, LatencyDelaysEverySegmentByTheSameAmount) {
  // One segment queued at 0 ms and one at 5 ms arrive at 50 ms and 55 ms.
  ShapedQueue q(0, std::chrono::milliseconds(50), TimePoint{});
  std::vector<TimePoint> arrivals;
  for (TimePoint t{}; t <= TimePoint{} + std::chrono::milliseconds(100); t += std::chrono::milliseconds(1)) {
    if (t == TimePoint{} || t == TimePoint{} + std::chrono::milliseconds(5)) q.push(ConnId(1), Bytes(10), t);
    q.release(t, [&](ShapedQueue::Segment&&) { arrivals.push_back(t); });
  }
  ASSERT_EQ(arrivals.size(), 2u);
  EXPECT_EQ(arrivals[0], TimePoint{} + std::chrono::milliseconds(50));
  EXPECT_EQ(arrivals[1], TimePoint{} + std::chrono::milliseconds(55));
}

TEST(ShapedQueueTest, CountsBytesPerConnection) {
  ShapedQueue q(8'000'000, Duration{0}, TimePoint{});
  q.push(ConnId(1), Bytes(40'000, 1), TimePoint{});
  q.push(ConnId(2), Bytes(10, 2), TimePoint{});
  EXPECT_EQ(q.queued_bytes(ConnId(1)), 40'000u);
  EXPECT_EQ(q.queued_bytes(ConnId(2)), 10u);
  std::vector<std::uint64_t> order;
  drain(q, TimePoint{}, std::chrono::seconds(1));
  q.push(ConnId(3), Bytes(1), TimePoint{} + std::chrono::seconds(1));
  q.release(TimePoint{} + std::chrono::seconds(1),
            [&](ShapedQueue::Segment&& s) { order.push_back(s.conn.value); });
  EXPECT_EQ(order, (std::vector<std::uint64_t>{3}));
  EXPECT_EQ(q.queued_bytes(), 0u);
  EXPECT_EQ(q.bytes_released(), 40'011u);
}

TEST(ShapedQueueTest, AShortMessageDoesNotWaitBehindAnotherConnectionsBulkData) {
  // 200 kB for connection 1 is 1.6 s of a 1 Mbit/s uplink. A 100-byte message queued after it on connection
  // 2 (a request, a have) leaves after at most the segment being sent and the one that follows, as under
  // fq_codel, not after the whole transfer as a single FIFO would have it.
  ShapedQueue q(1'000'000, Duration{0}, TimePoint{});
  q.push(ConnId(1), Bytes(200'000, 1), TimePoint{});
  q.push(ConnId(2), Bytes(100, 2), TimePoint{});
  std::optional<TimePoint> arrived;
  for (TimePoint t{}; !arrived && t <= TimePoint{} + std::chrono::seconds(2);
       t += std::chrono::milliseconds(1)) {
    q.release(t, [&](ShapedQueue::Segment&& s) {
      if (s.conn == ConnId(2)) arrived = t;
    });
  }
  ASSERT_TRUE(arrived);
  EXPECT_LE(to_seconds(arrived->time_since_epoch()), 0.3);  // two 16 KiB segments take 0.26 s
}

TEST(ShapedQueueTest, ConnectionsWithBytesWaitingShareTheRateEqually) {
  // Connection 1 queues 400 kB; connection 2 queues 100 kB a second later, when 1 still has most of its
  // bytes waiting. Over the next 0.8 s (100 kB of tokens) each gets about half, whatever either had queued.
  ShapedQueue q(1'000'000, Duration{0}, TimePoint{});
  q.push(ConnId(1), Bytes(400'000, 1), TimePoint{});
  drain(q, TimePoint{}, std::chrono::milliseconds(999));
  TimePoint later = TimePoint{} + std::chrono::seconds(1);
  q.push(ConnId(2), Bytes(100'000, 2), later);
  std::size_t first = q.queued_bytes(ConnId(1));
  std::size_t second = q.queued_bytes(ConnId(2));
  drain(q, later, std::chrono::milliseconds(800));
  double sent_first = static_cast<double>(first - q.queued_bytes(ConnId(1)));
  double sent_second = static_cast<double>(second - q.queued_bytes(ConnId(2)));
  EXPECT_GT(sent_first + sent_second, 80'000.0);
  EXPECT_NEAR(sent_first, sent_second, 2.0 * ShapedQueue::kSegmentBytes);
}

TEST(ShapedQueueTest, AConnectionThatKeepsOneSegmentOnTheLinkDoesNotStarveAnother) {
  // Connection 2 is paced, as an uploader that writes its next 16 KiB when the last has left the link: its
  // bytes drain to zero between segments. It must not come back each time at the tag it started from, ahead
  // of connection 1's waiting bytes: over 2 s (250 kB of tokens) each gets about half.
  ShapedQueue q(1'000'000, Duration{0}, TimePoint{});
  q.push(ConnId(1), Bytes(400'000, 1), TimePoint{});
  q.push(ConnId(2), Bytes(ShapedQueue::kSegmentBytes, 2), TimePoint{});
  std::size_t first = 0, second = 0;
  for (TimePoint t{}; t <= TimePoint{} + std::chrono::seconds(2); t += std::chrono::milliseconds(1)) {
    bool refill = false;
    q.release(t, [&](ShapedQueue::Segment&& s) {
      (s.conn == ConnId(1) ? first : second) += s.bytes.size();
      refill = refill || s.conn == ConnId(2);
    });
    if (refill) q.push(ConnId(2), Bytes(ShapedQueue::kSegmentBytes, 2), t);
  }
  EXPECT_GT(first + second, 200'000u);
  EXPECT_NEAR(static_cast<double>(first), static_cast<double>(second), 2.0 * ShapedQueue::kSegmentBytes);
}

TEST(ShapedQueueTest, ASegmentNeverLeavesBeforeItWasQueued) {
  // Segment A is queued at 0 ms and B at 30 ms, and nobody releases them until 30 ms. With 50 ms of latency,
  // A arrives at 50 ms and B at 80 ms: B may not take a departure slot from before it existed.
  ShapedQueue q(8'000'000, std::chrono::milliseconds(50), TimePoint{});
  q.push(ConnId(1), Bytes(100), TimePoint{});
  TimePoint t30 = TimePoint{} + std::chrono::milliseconds(30);
  q.push(ConnId(1), Bytes(100), t30);
  q.release(t30, [](ShapedQueue::Segment&&) { FAIL() << "nothing can arrive before 50 ms"; });
  EXPECT_EQ(q.next_event(), TimePoint{} + std::chrono::milliseconds(50));
  int arrived = 0;
  q.release(TimePoint{} + std::chrono::milliseconds(50), [&](ShapedQueue::Segment&&) { ++arrived; });
  EXPECT_EQ(arrived, 1);
  EXPECT_EQ(q.next_event(), TimePoint{} + std::chrono::milliseconds(80));
}

TEST(ShapedQueueTest, DroppingAConnectionDiscardsOnlyItsBytes) {
  ShapedQueue q(1'000'000, std::chrono::milliseconds(10), TimePoint{});
  q.push(ConnId(1), Bytes(50'000), TimePoint{});
  q.push(ConnId(2), Bytes(100), TimePoint{});
  q.drop(ConnId(1));
  EXPECT_EQ(q.queued_bytes(), 100u);
  EXPECT_EQ(drain(q, TimePoint{}, std::chrono::seconds(1)).first, 100u);
}

TEST(ShapedQueueTest, AnEndOfStreamTravelsBehindTheData) {
  ShapedQueue q(1'000'000, Duration{0}, TimePoint{});
  q.push(ConnId(1), Bytes(20'000), TimePoint{});
  q.push_end_of_stream(ConnId(1), TimePoint{});
  std::vector<bool> ends;
  for (TimePoint t{}; t <= TimePoint{} + std::chrono::seconds(1); t += std::chrono::milliseconds(1)) {
    q.release(t, [&](ShapedQueue::Segment&& s) { ends.push_back(s.end_of_stream); });
  }
  ASSERT_EQ(ends.size(), 3u);  // two segments of at most 16 KiB, then the end
  EXPECT_TRUE(ends.back());
}

}  // namespace
}  // namespace p2p
