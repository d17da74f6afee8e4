// The flagship lab end to end: labs/02-napster/spof.ini run headless, and the figures issue 3 names.
#include <gtest/gtest.h>

#include "tests/labs/launcher_harness.h"

namespace p2p::labs::testing {
namespace {

using namespace std::chrono_literals;

TEST(SpofLabTest, SearchesFailExactlyWhileTheServerIsDownAndTransfersCarryOn) {
  // 1 server and 30 ADSL peers for 90 s; the server is killed at 30 s and restarted at 60 s.
  TempDir dir;
  std::string out = dir.path() + "/spof";
  Launcher lab({"run", source("labs/02-napster/spof.ini"), "--headless", "--out", out},
               dir.path() + "/output.txt");
  ASSERT_EQ(lab.wait(150s), std::optional<int>(0)) << lab.output();
  auto summary = json_file(out + "/summary.json");
  ASSERT_TRUE(summary) << lab.output();
  const nlohmann::json& s = *summary;

  // The generic figures: 31 nodes, the server killed once and restarted once, nothing crashed.
  EXPECT_EQ(s["scenario"], "spof");
  EXPECT_EQ(s["nodes_started"], 31);
  EXPECT_EQ(s["nodes_killed"], 1);
  EXPECT_EQ(s["nodes_restarted"], 1);
  EXPECT_EQ(s["nodes_crashed"], 0);
  EXPECT_GE(s["duration_s"].get<double>(), 90);
  EXPECT_EQ(s["seed"], 1);

  // Napster's figures (issue 3, point 7).
  const nlohmann::json& m = s["metrics"];
  ASSERT_TRUE(m.is_object()) << s.dump(2);
  ASSERT_TRUE(m["search_success_before"].is_number()) << m.dump(2);
  ASSERT_TRUE(m["search_success_outage"].is_number()) << m.dump(2);
  ASSERT_TRUE(m["search_success_after"].is_number()) << m.dump(2);
  EXPECT_GT(m["search_success_before"].get<double>(), 0.95) << m.dump(2);
  EXPECT_EQ(m["search_success_outage"].get<double>(), 0.0) << m.dump(2);
  EXPECT_GT(m["search_success_after"].get<double>(), 0.9) << m.dump(2);
  EXPECT_GT(m["downloads_verified"].get<int>(), 0) << m.dump(2);
  EXPECT_EQ(m["downloads_corrupt"].get<int>(), 0) << m.dump(2);
  EXPECT_GE(m["transfers_survived_outage"].get<int>(), 1) << m.dump(2);
}

}  // namespace
}  // namespace p2p::labs::testing
