// Lab 01 end to end: labs/01-client-server-vs-p2p/p2p.ini run headless at N = 10, and its distribution time
// against the bounds computed from the scenario's own file and links.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/labs/launcher_harness.h"

namespace p2p::labs::testing {
namespace {

using namespace std::chrono_literals;

TEST(ClientServerVsP2pLabTest, TenLeechersTradingPiecesBeatTheServersOwnBound) {
  // The scenario as it is: a 32 Mbit file, a server with u_s = 10 Mb/s, 10 leechers with u = 1 Mb/s up and
  // 10 Mb/s down. The run ends once every leecher has completed, about 20 s after the start.
  TempDir dir;
  std::string out = dir.path() + "/p2p";
  Launcher lab({"run", source("labs/01-client-server-vs-p2p/p2p.ini"), "--headless", "--out", out},
               dir.path() + "/output.txt");
  ASSERT_EQ(lab.wait(150s), std::optional<int>(0)) << lab.output();
  auto summary = json_file(out + "/summary.json");
  ASSERT_TRUE(summary) << lab.output();
  EXPECT_EQ((*summary)["ended_by"], "every leecher sent completed");
  const nlohmann::json& m = (*summary)["metrics"];
  ASSERT_TRUE(m.is_object()) << summary->dump(2);
  EXPECT_EQ(m["completed"], 10) << m.dump(2);
  EXPECT_EQ(m["corrupt_files"], 0) << m.dump(2);

  // The bounds from the scenario's own F, u_s, u_i and d_min (labs/01-client-server-vs-p2p/README.md).
  constexpr double kFile = 4'000'000 * 8, kServer = 10e6, kLeecher = 1e6, kDown = 10e6, kN = 10;
  ASSERT_TRUE(m["bound_s"].is_number()) << m.dump(2);
  EXPECT_DOUBLE_EQ(m["bound_client_server_s"].get<double>(), std::max(kN * kFile / kServer, kFile / kDown));
  EXPECT_DOUBLE_EQ(m["bound_p2p_s"].get<double>(),
                   std::max({kFile / kServer, kFile / kDown, kN * kFile / (kServer + kN * kLeecher)}));
  EXPECT_EQ(m["bound_s"], m["bound_p2p_s"]);  // every leecher uploads

  // No run beats its bound, and the leechers' uploads made this one faster than a server alone could be.
  ASSERT_TRUE(m["bound_ratio"].is_number()) << m.dump(2);
  EXPECT_GE(m["bound_ratio"].get<double>(), 1.0);
  EXPECT_LT(m["distribution_time_s"].get<double>(), m["bound_client_server_s"].get<double>());
  // Issue 15 holds N = 10 to 1.3. Measured on a busy shared 2-core machine: 1.07 to 1.1 (README.md,
  // "Measured"); a floor of 8 requested blocks and 10 s choking rounds gave 1.24 to 1.42.
  EXPECT_LT(m["bound_ratio"].get<double>(), 1.3);
}

}  // namespace
}  // namespace p2p::labs::testing
