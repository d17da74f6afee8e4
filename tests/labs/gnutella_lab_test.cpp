// The flooding lab end to end, scaled down: labs/03-gnutella/flood.ini with 30 servents on loopback, run
// headless through p2plab, and the figures issue 6 names.
#include <gtest/gtest.h>

#include "tests/labs/launcher_harness.h"

namespace p2p::labs::testing {
namespace {

using namespace std::chrono_literals;

TEST(GnutellaLabTest, ThirtyServentsOnARegularOverlayFindFilesByFloodingAndDownloadThemIntact) {
  // 30 servents on a random 4-regular overlay, each searching 0.1 times a second for 30 s with TTL 7.
  TempDir dir;
  std::string out = dir.path() + "/flood";
  Launcher lab({"run", source("labs/03-gnutella/flood.ini"), "--headless", "--out", out, "--set",
                "role.servent.count=30", "--set", "gnutella.query_rate=0.1", "--duration", "30"},
               dir.path() + "/output.txt");
  ASSERT_EQ(lab.wait(100s), std::optional<int>(0)) << lab.output();
  auto summary = json_file(out + "/summary.json");
  ASSERT_TRUE(summary) << lab.output();
  const nlohmann::json& s = *summary;
  EXPECT_EQ(s["system"], "gnutella");
  EXPECT_EQ(s["nodes_started"], 30);
  EXPECT_EQ(s["nodes_crashed"], 0);

  // The figures of issue 6. Queries went out and reached other servents, each reached node costing at
  // least one Query descriptor; some found the file, and files moved over HTTP and passed their SHA-1.
  const nlohmann::json& m = s["metrics"];
  ASSERT_TRUE(m.is_object()) << s.dump(2);
  EXPECT_GT(m["queries"].get<int>(), 0) << m.dump(2);
  ASSERT_TRUE(m["reach_mean"].is_number()) << m.dump(2);
  EXPECT_GT(m["reach_mean"].get<double>(), 0) << m.dump(2);
  EXPECT_LE(m["reach_mean"].get<double>(), 29) << m.dump(2);
  EXPECT_GE(m["messages_per_query_mean"].get<double>(), m["reach_mean"].get<double>()) << m.dump(2);
  ASSERT_TRUE(m["hit_ratio"].is_number()) << m.dump(2);
  EXPECT_GT(m["hit_ratio"].get<double>(), 0) << m.dump(2);
  EXPECT_TRUE(m["first_hit_ms_median"].is_number()) << m.dump(2);
  EXPECT_TRUE(m["top1pct_hit_share"].is_number()) << m.dump(2);
  EXPECT_GT(m["downloads_verified"].get<int>(), 0) << m.dump(2);
}

}  // namespace
}  // namespace p2p::labs::testing
