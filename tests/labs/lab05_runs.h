// Runs of lab 05's scenarios for the tests of its mechanisms: one run's metrics, as processes or under --sim.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "tests/labs/launcher_harness.h"

namespace p2p::labs::testing {

// Runs labs/05-bittorrent/SCENARIO.ini headless (`args` adds "--sim" or anything else) with `sets`, and
// returns its summary's metrics.
inline nlohmann::json run_lab05(const TempDir& dir, const std::string& scenario, const std::string& name,
                                std::vector<std::string> sets, std::vector<std::string> args = {}) {
  using namespace std::chrono_literals;
  std::string out = dir.path() + "/" + name;
  args.insert(args.begin(),
              {"run", source("labs/05-bittorrent/" + scenario + ".ini"), "--headless", "--out", out});
  for (std::string& set : sets) {
    args.push_back("--set");
    args.push_back(std::move(set));
  }
  Launcher lab(std::move(args), out + ".txt");
  EXPECT_EQ(lab.wait(240s), std::optional<int>(0)) << lab.output();
  auto summary = json_file(out + "/summary.json");
  EXPECT_TRUE(summary) << lab.output();
  return summary ? (*summary)["metrics"] : nlohmann::json::object();
}

// The number of samples both runs' `timeline` has ([[t, value], ...], every 5 s of the download): the same
// moments of the download in both. A run without the timeline has none.
inline std::size_t common_samples(const nlohmann::json& a, const nlohmann::json& b,
                                  const std::string& timeline) {
  auto samples = [&](const nlohmann::json& run) { return run.contains(timeline) ? run[timeline].size() : 0; };
  return std::min(samples(a), samples(b));
}

// The mean of a timeline's values over its first `samples` samples ([[t, value], ...]; nulls skipped).
inline double mean_of(const nlohmann::json& timeline, std::size_t samples) {
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < samples && i < timeline.size(); ++i) {
    if (!timeline[i][1].is_number()) continue;
    sum += timeline[i][1].get<double>();
    ++n;
  }
  return n == 0 ? 0 : sum / static_cast<double>(n);
}

}  // namespace p2p::labs::testing
