// `p2plab run --sim` on the flagship BitTorrent lab: the same scenario's cores in SimNet, the same summary,
// the sim's own figures, and a clear refusal for a system without sim cores.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/labs/launcher_harness.h"

namespace p2p::labs::testing {
namespace {

using namespace std::chrono_literals;

const std::string kFlashCrowd = "labs/05-bittorrent/flash-crowd.ini";

TEST(FlashCrowdSimTest, TwentyLeechersInSimNetAllCompleteAndTheSummaryCarriesTheSimFigures) {
  // The scenario as written (1 tracker, 1 seed, its ADSL2+ links, a 16 MiB file arriving as a flash crowd
  // within 10 s) with 20 leechers instead of 30, on the virtual clock. It takes about 3 s of CPU; the wait
  // allows for a machine busy with other work.
  TempDir dir;
  std::string out = dir.path() + "/sim";
  Launcher lab({"run", source(kFlashCrowd), "--sim", "--set", "role.leecher.count=20", "--out", out},
               dir.path() + "/output.txt");
  ASSERT_EQ(lab.wait(300s), std::optional<int>(0)) << lab.output();
  auto summary = json_file(out + "/summary.json");
  ASSERT_TRUE(summary) << lab.output();
  const nlohmann::json& s = *summary;

  // The generic figures, as a process run writes them.
  EXPECT_EQ(s["system"], "bittorrent");
  EXPECT_EQ(s["nodes_started"], 22);
  EXPECT_EQ(s["nodes_crashed"], 0);
  EXPECT_EQ(s["ended_by"], "every leecher sent completed");

  // The launcher's BitTorrent summariser read SimNet's records: every leecher completed with a file that
  // equals the generator's, piece by piece as it arrived (the storage kept none of it).
  const nlohmann::json& m = s["metrics"];
  EXPECT_EQ(m["leechers"], 20) << m.dump(2);
  EXPECT_EQ(m["seeds"], 1) << m.dump(2);
  EXPECT_EQ(m["completed"], 20) << m.dump(2);
  EXPECT_EQ(m["content_checked"], 20) << m.dump(2);
  EXPECT_EQ(m["corrupt_files"], 0) << m.dump(2);
  // No leecher can beat the seed's uplink: 16 MiB at 2 Mb/s is 67 s (the bound in
  // /work/shared/PROTOCOLS.md's source, F/u_s), and the run ends within the scenario's 150 s.
  ASSERT_TRUE(m["download_time_s"]["max"].is_number()) << m.dump(2);
  EXPECT_GT(m["download_phase_s"].get<double>(), 16.0 * 8 * 1.048576 / 2);
  EXPECT_LT(m["download_time_s"]["max"].get<double>(), 150);
  EXPECT_LT(m["bytes_from_seeds_ratio"].get<double>(), 0.5) << "the leechers served each other";
  // upload_utilisation needs the links of the launcher's node_started events: it is there and plausible.
  EXPECT_GT(m["upload_utilisation"].get<double>(), 0.3) << m.dump(2);
  EXPECT_LE(m["upload_utilisation"].get<double>(), 1.05);

  // The sim's own figures: its speedup is virtual over wall time, and virtual time ran faster than the CPU
  // time it took (the wall clock depends on what else the machine runs).
  ASSERT_TRUE(s["sim_speedup"].is_number()) << s.dump(2);
  EXPECT_NEAR(s["sim_speedup"].get<double>() * s["wall_s"].get<double>(), s["duration_s"].get<double>(),
              0.01);
  EXPECT_GT(s["duration_s"].get<double>(), s["cpu_s"].get<double>());
  EXPECT_GT(s["peak_rss_mib"].get<double>(), 0);
  std::cout << "[ figures  ] 20 leechers: " << s["duration_s"] << " s virtual in " << s["wall_s"]
            << " s wall, " << s["cpu_s"] << " s CPU, peak RSS " << s["peak_rss_mib"] << " MiB\n";

  // p2plab report reads the run folder as it reads a process run's.
  Launcher report({"report", out}, dir.path() + "/report.txt");
  ASSERT_EQ(report.wait(60s), std::optional<int>(0)) << report.output();
  EXPECT_TRUE(std::filesystem::exists(out + "/timeseries.csv"));
}

TEST(FlashCrowdSimTest, ASystemWithoutSimCoresIsRefusedInOneLine) {
  TempDir dir;
  Launcher lab({"run", source("labs/02-napster/spof.ini"), "--sim", "--out", dir.path() + "/spof"},
               dir.path() + "/output.txt");
  ASSERT_EQ(lab.wait(20s), std::optional<int>(2)) << lab.output();
  EXPECT_EQ(lab.output(), "p2plab run: --sim: system napster has no --sim support yet (only bittorrent)\n");
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/spof")) << "nothing is started or written";
}

}  // namespace
}  // namespace p2p::labs::testing
