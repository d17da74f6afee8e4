// Tests of the per-connection transfer table: its timer runs only while a transfer is in flight, and stalls.
#include "common/transfer/transfer_table.h"

#include <gtest/gtest.h>

#include "tests/support/fake_runtime.h"

namespace p2p::transfer {
namespace {

using p2p::testing::FakeRuntime;

struct Transfer {
  int bytes = 0;
  TimePoint last_progress;
};

TEST(TransferTableTest, ItsTimerTicksOnlyWhileATransferIsInFlight) {
  FakeRuntime runtime;
  int ticks = 0;
  TransferTable<Transfer> table(runtime, seconds(1), [&] { ++ticks; });
  EXPECT_EQ(runtime.pending_timers(), 0u);

  // Two transfers: one timer, ticking every second.
  table.add(ConnId(1), {});
  table.add(ConnId(2), {});
  EXPECT_EQ(runtime.pending_timers(), 1u);
  runtime.advance(seconds(2));
  EXPECT_EQ(ticks, 2);

  // The first ends; the second is taken out with what it carried; the timer stops with it.
  table.erase(ConnId(1));
  table.find(ConnId(2))->bytes = 42;
  EXPECT_EQ(table.take(ConnId(2)).bytes, 42);
  EXPECT_EQ(table.size(), 0u);
  EXPECT_FALSE(table.owns(ConnId(2)));
  EXPECT_EQ(runtime.pending_timers(), 0u);
  runtime.advance(seconds(5));
  EXPECT_EQ(ticks, 2);
}

TEST(TransferTableTest, StalledListsTheTransfersThatHaveNotMovedInOrder) {
  FakeRuntime runtime;
  TransferTable<Transfer> table(runtime, seconds(1), [] {});
  TimePoint start = runtime.now();
  table.add(ConnId(9), {0, start});
  table.add(ConnId(3), {0, start + seconds(20)});
  table.add(ConnId(5), {0, start});
  EXPECT_EQ(table.stalled(start + seconds(31), seconds(30)), (std::vector<ConnId>{ConnId(5), ConnId(9)}));
  EXPECT_EQ(table.count_if([&](const Transfer& t) { return t.last_progress == start; }), 2u);
  // A round of turns resumes at the first transfer at or after a connection.
  EXPECT_EQ(table.from(ConnId(4))->first, ConnId(5));
}

}  // namespace
}  // namespace p2p::transfer
