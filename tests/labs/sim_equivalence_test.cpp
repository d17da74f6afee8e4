// The same small flash crowd as processes and under --sim: SimNet's links and the unchanged cores give the
// distribution time the processes measure, within the tolerance below.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/labs/launcher_harness.h"

namespace p2p::labs::testing {
namespace {

using namespace std::chrono_literals;

// How far apart the two runs' distribution times may be, as a share of the process run's. Each is one run
// of one seed: under --sim, seeds 1 to 5 of this scenario gave 29.6 to 32.9 s (a spread of 11 %), and a
// process run also shares two cores with the rest of the machine; 20 % leaves room for both and still fails
// a sim whose links or clock were off by a quarter. (Issue 15 asks 15 % at 40 peers, where one run varies
// less.)
constexpr double kTolerance = 0.20;

// Runs flash-crowd.ini with 10 leechers and a 4 MiB file (32 pieces), as processes or under --sim, and
// returns its summary's metrics.
nlohmann::json run_small_crowd(const TempDir& dir, const std::string& name, bool sim) {
  std::string out = dir.path() + "/" + name;
  std::vector<std::string> args = {"run",
                                   source("labs/05-bittorrent/flash-crowd.ini"),
                                   "--headless",
                                   "--out",
                                   out,
                                   "--set",
                                   "role.leecher.count=10",
                                   "--set",
                                   "bittorrent.file_size=4194304"};
  if (sim) args.push_back("--sim");
  Launcher lab(args, dir.path() + "/" + name + ".txt");
  EXPECT_EQ(lab.wait(240s), std::optional<int>(0)) << lab.output();
  auto summary = json_file(out + "/summary.json");
  EXPECT_TRUE(summary) << lab.output();
  return summary ? (*summary)["metrics"] : nlohmann::json::object();
}

TEST(SimEquivalenceTest, ProcessesAndSimNetAgreeOnTheDistributionTimeOfASmallFlashCrowd) {
  TempDir dir;
  nlohmann::json processes = run_small_crowd(dir, "processes", false);
  nlohmann::json sim = run_small_crowd(dir, "sim", true);
  ASSERT_EQ(processes["completed"], 10) << processes.dump(2);
  ASSERT_EQ(sim["completed"], 10) << sim.dump(2);

  // Distribution time: from the first leecher's start to the last completion.
  double p = processes["download_phase_s"].get<double>(), s = sim["download_phase_s"].get<double>();
  std::cout << "[ figures  ] distribution time: processes " << p << " s, --sim " << s << " s ("
            << 100 * (s - p) / p << " %)\n";
  EXPECT_LE(std::abs(s - p), kTolerance * p);
  // The median leecher agrees as well.
  double pm = processes["download_time_s"]["median"].get<double>();
  double sm = sim["download_time_s"]["median"].get<double>();
  EXPECT_LE(std::abs(sm - pm), kTolerance * pm);
}

}  // namespace
}  // namespace p2p::labs::testing
