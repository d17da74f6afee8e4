// EventQueue: SimNet's agenda runs the earliest event first, and events of one instant in the order given.
#include "common/sim/event_queue.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace p2p::sim {
namespace {

TimePoint at_ms(int ms) {
  return TimePoint{} + std::chrono::milliseconds(ms);
}

// Pops every event, running each, and returns what they wrote in the order they ran.
std::string run_all(EventQueue& queue) {
  std::string order;
  while (!queue.empty()) {
    auto [when, fn] = queue.pop();
    order += std::to_string(static_cast<int>(to_millis(when.time_since_epoch()))) + ":";
    fn();
  }
  return order;
}

TEST(EventQueueTest, TheEarliestRunsFirstAndTiesKeepTheirOrder) {
  EventQueue queue;
  std::string ran;
  queue.push(at_ms(30), [&] { ran += "c"; });
  queue.push(at_ms(10), [&] { ran += "a"; });
  queue.push(at_ms(20), [&] { ran += "b1"; });
  queue.push(at_ms(20), [&] { ran += "b2"; });
  queue.push(at_ms(20), [&] { ran += "b3"; });
  EXPECT_EQ(queue.next_time(), at_ms(10));
  EXPECT_EQ(run_all(queue), "10:20:20:20:30:");
  EXPECT_EQ(ran, "ab1b2b3c");
}

TEST(EventQueueTest, AnEventScheduledAtTheCurrentInstantRunsAfterThoseAlreadyDue) {
  // Each event of the chain schedules the next at the same instant, into the slot its own callback just
  // left: the chain's later events still run behind "x", which was scheduled before them.
  EventQueue queue;
  std::string ran;
  std::function<void(int)> chain = [&](int left) {
    ran += std::to_string(left);
    if (left > 0) queue.push(at_ms(5), [&chain, left] { chain(left - 1); });
  };
  queue.push(at_ms(5), [&] { chain(3); });
  queue.push(at_ms(5), [&] { ran += "x"; });
  run_all(queue);
  EXPECT_EQ(ran, "3x210");
}

TEST(EventQueueTest, ManyEventsComeOutSorted) {
  EventQueue queue;
  std::vector<int> ran;
  for (int i = 0; i < 1000; ++i) {
    int ms = (i * 7919) % 1000;  // every time from 0 to 999 once, out of order
    queue.push(at_ms(ms), [&ran, ms] { ran.push_back(ms); });
  }
  run_all(queue);
  ASSERT_EQ(ran.size(), 1000u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(ran[static_cast<std::size_t>(i)], i);
}

}  // namespace
}  // namespace p2p::sim
