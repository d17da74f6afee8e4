// Tests of the distribution-time bounds on the lecture's example: F / u = 1 hour, u_s = 10 u, d_min >= u_s.
#include "labs/launcher/distribution_bound.h"

#include <gtest/gtest.h>

#include <limits>

namespace p2p::labs {
namespace {

constexpr double kHour = 3600;
constexpr double kU = 1e6;            // every peer uploads u = 1 Mbit/s...
constexpr double kFile = kU * kHour;  // ...so one copy takes F / u = 1 hour to upload
constexpr double kServer = 10 * kU;   // u_s = 10 u
constexpr double kDown = kServer;     // d_min = u_s: the peers' downloads are never the limit

BoundInputs lecture_example(int peers) {
  return {.file_bits = kFile,
          .server_up_bps = kServer,
          .peer_up_bps = std::vector<double>(static_cast<std::size_t>(peers), kU),
          .min_down_bps = kDown};
}

TEST(DistributionBoundTest, ClientServerGrowsLinearlyWithN) {
  // D_cs = N F / u_s = N / 10 hours: 30 peers take 3 hours.
  EXPECT_DOUBLE_EQ(client_server_bound_s(lecture_example(30)), 3 * kHour);
  for (int n : {1, 5, 10, 20, 40, 80}) {
    EXPECT_DOUBLE_EQ(client_server_bound_s(lecture_example(n)), n / 10.0 * kHour) << n;
  }
}

TEST(DistributionBoundTest, PeerToPeerStaysUnderOneHourForAnyN) {
  // D_p2p = N F / (u_s + N u) = N / (10 + N) hours once that term rules (N >= 2): 30 peers take 45 minutes,
  // and no N takes as long as the one hour a single peer needs to upload one copy.
  EXPECT_DOUBLE_EQ(p2p_bound_s(lecture_example(30)), 0.75 * kHour);
  for (int n : {2, 5, 10, 20, 40, 80, 1000}) {
    EXPECT_DOUBLE_EQ(p2p_bound_s(lecture_example(n)), n / (10.0 + n) * kHour) << n;
    EXPECT_LT(p2p_bound_s(lecture_example(n)), kHour);
    EXPECT_LE(p2p_bound_s(lecture_example(n)), client_server_bound_s(lecture_example(n)));
  }
}

TEST(DistributionBoundTest, OnePeerWaitsForTheServersOneCopyEitherWay) {
  // N = 1: F / u_s = 6 minutes is the server's term in both formulas.
  EXPECT_DOUBLE_EQ(client_server_bound_s(lecture_example(1)), kFile / kServer);
  EXPECT_DOUBLE_EQ(p2p_bound_s(lecture_example(1)), kFile / kServer);
}

TEST(DistributionBoundTest, TheSlowestDownloadCanRule) {
  // A peer that downloads at u / 2 needs 2 hours for its one copy, more than 5 peers' N / (10 + N) hours.
  BoundInputs slow = lecture_example(5);
  slow.min_down_bps = kU / 2;
  EXPECT_DOUBLE_EQ(p2p_bound_s(slow), 2 * kHour);
  EXPECT_DOUBLE_EQ(client_server_bound_s(slow), 2 * kHour);
}

TEST(DistributionBoundTest, PeersThatNeverUploadMakeItClientServer) {
  BoundInputs free_riders = lecture_example(20);
  free_riders.peer_up_bps.assign(20, 0);
  EXPECT_DOUBLE_EQ(p2p_bound_s(free_riders), client_server_bound_s(lecture_example(20)));
}

TEST(DistributionBoundTest, AnUncappedDownloadDropsItsTerm) {
  BoundInputs uncapped = lecture_example(1);
  uncapped.min_down_bps = std::numeric_limits<double>::infinity();
  EXPECT_DOUBLE_EQ(client_server_bound_s(uncapped), kFile / kServer);
}

}  // namespace
}  // namespace p2p::labs
