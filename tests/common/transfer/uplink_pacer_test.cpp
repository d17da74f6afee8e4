// UplinkPacer against the real link model: uploads fill links from ADSL to gigabit, and keep little queued.
#include "common/transfer/uplink_pacer.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/net/link_shaper.h"

namespace p2p::transfer {
namespace {

// What an upload reads and sends at a time (Napster's transfer chunk).
constexpr std::size_t kTransferChunk = 16 * 1024;

struct PacedRun {
  double carried_bps = 0;      // what crossed the link after the first second, in bits per second
  std::size_t max_queued = 0;  // the most the uploads ever had on the uplink
  std::size_t final_target = 0;
};

// An uploader with endless data tops up one shaped uplink (the ShapedQueue the Transport and SimNet use)
// every 10 ms, in transfer chunks, as napster::Uploads does; the link is released every millisecond.
PacedRun run_paced(std::uint64_t up_bps, Duration latency, Duration length = seconds(5)) {
  const ConnId conn(1);
  TimePoint now{};
  ShapedQueue link(up_bps, latency, now);
  UplinkPacer pacer;
  PacedRun run;
  std::uint64_t carried = 0;
  const TimePoint measure_from = now + seconds(1);
  for (int ms = 0; now < TimePoint{} + length; ++ms, now += milliseconds(1)) {
    link.release(now, [&](ShapedQueue::Segment&& segment) {
      if (now >= measure_from) carried += segment.bytes.size();
    });
    if (ms % 10 != 0) continue;
    std::size_t budget = pacer.budget(link.queued_bytes(conn), now);
    while (budget > 0) {
      link.push(conn, Bytes(kTransferChunk), now);
      pacer.sent(kTransferChunk);
      budget -= std::min(budget, kTransferChunk);
    }
    run.max_queued = std::max(run.max_queued, link.queued_bytes(conn));
  }
  run.carried_bps = static_cast<double>(carried) * 8 / to_seconds(length - seconds(1));
  run.final_target = pacer.target();
  return run;
}

TEST(UplinkPacerTest, StartsWithTwoChunksQueued) {
  UplinkPacer pacer;
  EXPECT_EQ(pacer.budget(0, TimePoint{}), 2 * kTransferChunk);
  // Bytes still queued count against the budget.
  EXPECT_EQ(pacer.budget(kTransferChunk, TimePoint{} + milliseconds(10)), kTransferChunk);
}

TEST(UplinkPacerTest, DoublesItsTargetEveryTopUpWhileAnUnshapedLinkTakesEverything) {
  // An unshaped runtime hands bytes to TCP at once: nothing ever stays queued.
  UplinkPacer pacer;
  TimePoint now{};
  std::vector<std::size_t> budgets;
  for (int i = 0; i < 12; ++i, now += milliseconds(10)) {
    std::size_t budget = pacer.budget(0, now);
    budgets.push_back(budget);
    pacer.sent(budget);
  }
  EXPECT_EQ(budgets[0], 32u * 1024);
  EXPECT_EQ(budgets[2], 64u * 1024);
  EXPECT_EQ(budgets[3], 128u * 1024);
  EXPECT_EQ(budgets.back(), PacerConfig{}.max_queued) << "capped at max_queued";
}

TEST(UplinkPacerTest, ForgetsTheLinkAfterAnIdleGap) {
  UplinkPacer pacer;
  TimePoint now{};
  for (int i = 0; i < 12; ++i, now += milliseconds(10)) pacer.sent(pacer.budget(0, now));
  ASSERT_GT(pacer.target(), PacerConfig{}.min_queued);
  // No upload for a second: the next one starts small again.
  EXPECT_EQ(pacer.budget(0, now + seconds(1)), PacerConfig{}.min_queued);
}

struct LinkCase {
  const char* name;
  std::uint64_t up_bps;
  int latency_ms;
};

class UplinkPacerLinkTest : public ::testing::TestWithParam<LinkCase> {};

TEST_P(UplinkPacerLinkTest, FillsTheLinkAndKeepsAboutATenthOfASecondQueued) {
  const LinkCase& c = GetParam();
  PacedRun run = run_paced(c.up_bps, milliseconds(c.latency_ms));
  std::cout << "[ figures  ] " << c.name << ": " << run.carried_bps / 1e6 << " of " << c.up_bps / 1e6
            << " Mbit/s, at most " << run.max_queued / 1024 << " KiB queued\n";
  // Link speed, whatever the cap.
  EXPECT_GE(run.carried_bps, 0.95 * static_cast<double>(c.up_bps));
  // A message queued behind the uploads waits for at most about 0.15 s of upload data plus the first two
  // chunks (and the latency, counted in the queue).
  double bytes_per_s = static_cast<double>(c.up_bps) / 8;
  double latency_s = c.latency_ms / 1000.0;
  EXPECT_LE(static_cast<double>(run.max_queued),
            (0.15 + latency_s) * bytes_per_s + 2.0 * PacerConfig{}.min_queued);
}

INSTANTIATE_TEST_SUITE_P(Links, UplinkPacerLinkTest,
                         ::testing::Values(LinkCase{"adsl_256k_20ms", 256'000, 20},
                                           LinkCase{"cable_2M_10ms", 2'000'000, 10},
                                           LinkCase{"fibre_50M_2ms", 50'000'000, 2},
                                           LinkCase{"fast_100M_20ms", 100'000'000, 20},
                                           LinkCase{"gigabit_0ms", 1'000'000'000, 0}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace p2p::transfer
