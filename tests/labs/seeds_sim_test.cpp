// Lab 05's seeds scenario under --sim: the original seed staying against leaving early, and the direction of
// the effect the handout asks students to measure (Izal et al., PAM 2004: seeds that stay matter).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/labs/launcher_harness.h"

namespace p2p::labs::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const std::string kSeeds = "labs/05-bittorrent/seeds.ini";

// Runs the scenario as written (30 leechers in a decaying burst) under --sim with the original seed leaving
// `origin_seed_time` seconds after its start (-1: never) and returns its summary. A few seconds of CPU each;
// the wait allows for a machine busy with other work.
json run_seeds(const TempDir& dir, const std::string& origin_seed_time) {
  std::string out = dir.path() + "/origin" + origin_seed_time;
  Launcher lab({"run", source(kSeeds), "--sim", "--set", "bittorrent.origin_seed_time=" + origin_seed_time,
                "--out", out},
               out + ".txt");
  EXPECT_EQ(lab.wait(240s), std::optional<int>(0)) << lab.output();
  auto summary = json_file(out + "/summary.json");
  EXPECT_TRUE(summary) << lab.output();
  return summary ? *summary : json::object();
}

TEST(SeedsSimTest, ASeedThatStaysServesMoreOfTheBytesAndTheLeechersCompleteEarlier) {
  TempDir dir;
  json staying = run_seeds(dir, "-1");
  // 45 s: about one copy of the file at the seed's uplink, as the handout's sweep has it.
  json leaving = run_seeds(dir, "45");
  const json& stay = staying["metrics"];
  const json& leave = leaving["metrics"];
  ASSERT_TRUE(stay["bytes_from_seeds_ratio"].is_number()) << stay.dump(2);
  ASSERT_TRUE(leave["bytes_from_seeds_ratio"].is_number()) << leave.dump(2);

  // With the seed there every leecher completes, and the run ends when the last one does.
  EXPECT_EQ(stay["completed"], stay["leechers"]) << stay.dump(2);
  EXPECT_EQ(staying["ended_by"], "every leecher sent completed");
  // The seed's bytes: a larger share when it stays, and fewer completions, never earlier, when it leaves.
  EXPECT_GT(stay["bytes_from_seeds_ratio"].get<double>(), leave["bytes_from_seeds_ratio"].get<double>());
  EXPECT_LT(leave["completed"].get<int>(), stay["completed"].get<int>());
  const json& stay_done = stay["completed_timeline"];
  const json& leave_done = leave["completed_timeline"];
  ASSERT_FALSE(stay_done.empty());
  for (std::size_t i = 0; i < stay_done.size() && i < leave_done.size(); ++i)
    EXPECT_GE(stay_done[i][1].get<int>(), leave_done[i][1].get<int>()) << "at " << stay_done[i][0] << " s";
  std::cout << "[ figures  ] bytes_from_seeds_ratio " << stay["bytes_from_seeds_ratio"] << " staying, "
            << leave["bytes_from_seeds_ratio"] << " leaving at 45 s; completed " << stay["completed"]
            << " and " << leave["completed"] << " of " << stay["leechers"] << "\n";

  // The sources timeline ends at what the leechers received from seeds: the ratio's numerator.
  const json& last = stay["sources_timeline"].back();
  double total = last[1].get<double>() + last[2].get<double>();
  ASSERT_GT(total, 0);
  EXPECT_NEAR(last[1].get<double>() / total, stay["bytes_from_seeds_ratio"].get<double>(), 0.02);

  // p2plab report reads the sim run and writes the tables of the BitTorrent plots: the leechers' progress,
  // and the availability heat map.
  std::string out = dir.path() + "/origin-1";
  Launcher report({"report", out}, dir.path() + "/report.txt");
  ASSERT_EQ(report.wait(60s), std::optional<int>(0)) << report.output();
  EXPECT_TRUE(std::filesystem::exists(out + "/progress.csv"));
  EXPECT_TRUE(std::filesystem::exists(out + "/availability.csv"));
  EXPECT_NE(report.output().find("heat map: " + out + "/availability.csv"), std::string::npos)
      << report.output();
}

}  // namespace
}  // namespace p2p::labs::testing
