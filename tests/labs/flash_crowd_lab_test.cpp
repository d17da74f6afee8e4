// The flagship lab end to end: labs/05-bittorrent/flash-crowd.ini run headless, and the figures issue 5
// names.
#include <gtest/gtest.h>

#include "tests/labs/launcher_harness.h"

namespace p2p::labs::testing {
namespace {

using namespace std::chrono_literals;

TEST(FlashCrowdLabTest, ThirtyLeechersArrivingAtOnceAllCompleteWithIntactFiles) {
  // The scenario as it is: 1 tracker, 1 seed and 30 leechers arriving within 10 s on its ADSL2+ links, a
  // 16 MiB file. The run ends once every leecher has completed (role.leecher.done), about two minutes after
  // the start on a quiet machine, or at the scenario's 150 s.
  TempDir dir;
  std::string out = dir.path() + "/flash-crowd";
  Launcher lab({"run", source("labs/05-bittorrent/flash-crowd.ini"), "--headless", "--out", out},
               dir.path() + "/output.txt");
  ASSERT_EQ(lab.wait(190s), std::optional<int>(0)) << lab.output();
  auto summary = json_file(out + "/summary.json");
  ASSERT_TRUE(summary) << lab.output();
  const nlohmann::json& s = *summary;

  // The generic figures: the tracker, the seed and 30 leechers, none crashed.
  EXPECT_EQ(s["scenario"], "flash-crowd");
  EXPECT_EQ(s["system"], "bittorrent");
  EXPECT_EQ(s["nodes_started"], 32);
  EXPECT_EQ(s["nodes_crashed"], 0);
  EXPECT_EQ(s["ended_by"], "every leecher sent completed");

  // BitTorrent's figures (issue 5, point 4): everyone completes, and every finished file equals the
  // original byte for byte (checked by each leecher against the content generator, not the piece hashes).
  const nlohmann::json& m = s["metrics"];
  ASSERT_TRUE(m.is_object()) << s.dump(2);
  EXPECT_EQ(m["leechers"], 30) << m.dump(2);
  EXPECT_EQ(m["seeds"], 1) << m.dump(2);
  EXPECT_EQ(m["completed"], 30) << m.dump(2);
  EXPECT_EQ(m["corrupt_files"], 0) << m.dump(2);
  EXPECT_EQ(m["content_checked"], 30) << m.dump(2);
  ASSERT_TRUE(m["download_time_s"]["max"].is_number()) << m.dump(2);
  EXPECT_LE(m["download_time_s"]["min"].get<double>(), m["download_time_s"]["median"].get<double>());
  EXPECT_LE(m["download_time_s"]["median"].get<double>(), m["download_time_s"]["max"].get<double>());
  EXPECT_LT(m["download_time_s"]["max"].get<double>(), 150);
  // The seed alone cannot have sent 30 copies in that time: the leechers served each other.
  ASSERT_TRUE(m["bytes_from_seeds_ratio"].is_number()) << m.dump(2);
  EXPECT_GT(m["bytes_from_seeds_ratio"].get<double>(), 0);
  EXPECT_LT(m["bytes_from_seeds_ratio"].get<double>(), 0.9);
  ASSERT_TRUE(m["upload_utilisation"].is_number()) << m.dump(2);
  EXPECT_GT(m["upload_utilisation"].get<double>(), 0.1);
  EXPECT_LE(m["upload_utilisation"].get<double>(), 1.05);  // the shapers' token buckets allow a small burst
}

}  // namespace
}  // namespace p2p::labs::testing
