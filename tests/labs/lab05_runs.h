// Runs of lab 05's scenarios for the tests of its mechanisms: one run's metrics, as processes or under --sim.
#pragma once

#include <gtest/gtest.h>

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

}  // namespace p2p::labs::testing
