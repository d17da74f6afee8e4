// Chaos runs (issue 18): each system's scenario in this folder run as processes by p2plab, the launcher
// SIGKILLing 20 % of the nodes at seeded random moments (and servers: Napster's three times, BitTorrent's
// tracker once); the survivors' figures in summary.json say each system kept working, and no file is corrupt.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "tests/labs/launcher_harness.h"

namespace p2p::labs::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

struct ChaosRun {
  json summary;
  json metrics;
  std::vector<std::string> killed;  // node_killed, in order
};

// Runs tests/integration/chaos/NAME.ini headless and prints who was killed and the system's figures.
ChaosRun run_chaos(const TempDir& dir, const std::string& name) {
  std::string out = dir.path() + "/" + name;
  Launcher lab({"run", source("tests/integration/chaos/" + name + ".ini"), "--headless", "--out", out},
               dir.path() + "/" + name + ".txt");
  ChaosRun run;
  auto code = lab.wait(90s);
  EXPECT_EQ(code, std::optional<int>(0)) << lab.output();
  auto summary = json_file(out + "/summary.json");
  if (!summary) {
    ADD_FAILURE() << "no summary.json: " << lab.output();
    return run;
  }
  run.summary = *summary;
  run.metrics = run.summary["metrics"];
  std::ifstream events(out + "/events.jsonl");
  for (std::string line; std::getline(events, line);) {
    json record = json::parse(line, nullptr, false);
    if (record.is_object() && record.value("event", "") == "node_killed")
      run.killed.push_back(record["data"].value("node", "?"));
  }
  std::cout << name << ": killed";
  for (const std::string& node : run.killed) std::cout << " " << node;
  json figures = json::object();  // the numbers, without the timelines
  for (const auto& [key, value] : run.metrics.items()) {
    if (!value.is_array()) figures[key] = value;
  }
  std::cout << "\n" << name << ": " << figures.dump() << "\n";
  EXPECT_EQ(run.summary["nodes_crashed"], 0) << lab.output();
  return run;
}

TEST(ChaosTest, BittorrentLeechersThatStayCompleteAndRestartedOnesResumeFromDisk) {
  // Two of 10 leechers and the tracker are killed; all three come back. Every leecher completes (the run
  // ends when the last does) with a file that matches the torrent, and each restarted one found every piece
  // it had stored and fetched none of them again.
  TempDir dir;
  ChaosRun run = run_chaos(dir, "bittorrent");
  const json& m = run.metrics;
  ASSERT_TRUE(m.is_object());
  EXPECT_EQ(run.summary["nodes_killed"], 3);
  EXPECT_EQ(run.summary["nodes_restarted"], 3);
  EXPECT_EQ(run.summary["ended_by"], "every leecher sent completed");
  EXPECT_EQ(m["leechers_killed"], 2) << m.dump(2);
  EXPECT_EQ(m["survivors"], 10);
  EXPECT_EQ(m["survivors_completed"], 10);
  EXPECT_EQ(m["corrupt_files"], 0);
  EXPECT_EQ(m["content_checked"], 10);
  // A leecher killed before its first piece has nothing to resume; a lost piece would show a bad resume.
  EXPECT_GE(m["resumes"].get<int>(), 1);
  EXPECT_GT(m["resumed_pieces"].get<double>(), 0);
  EXPECT_EQ(m["resume_lost_pieces"], 0);
  EXPECT_EQ(m["refetched_pieces"], 0);
}

TEST(ChaosTest, NapsterPeersLogInAgainAfterEachOfTheServersDeaths) {
  // The server dies three times and two of 10 peers die for good: every peer up through a server's life
  // logs in to it, and every download matches the catalogue's MD5.
  TempDir dir;
  ChaosRun run = run_chaos(dir, "napster");
  const json& m = run.metrics;
  ASSERT_TRUE(m.is_object());
  EXPECT_EQ(run.summary["nodes_killed"], 5);
  EXPECT_EQ(m["server_restarts"], 3) << m.dump(2);
  EXPECT_GE(m["relogins_expected"].get<int>(), 20);
  EXPECT_EQ(m["relogins"], m["relogins_expected"]);
  EXPECT_GT(m["downloads_verified"].get<int>(), 0);
  EXPECT_EQ(m["downloads_corrupt"], 0);
}

TEST(ChaosTest, GnutellaSurvivorsReformTheOverlay) {
  TempDir dir;
  ChaosRun run = run_chaos(dir, "gnutella");
  const json& m = run.metrics;
  ASSERT_TRUE(m.is_object());
  EXPECT_EQ(run.summary["nodes_killed"], 3);
  EXPECT_EQ(m["survivors"], 12) << m.dump(2);
  EXPECT_EQ(m["survivors_isolated"], 0);
  EXPECT_GE(m["survivor_neighbours_mean"].get<double>(), 2);
  EXPECT_EQ(m["downloads_corrupt"], 0);
}

TEST(ChaosTest, KazaaChildrenOfADeadSupernodeReattach) {
  // The scenario's sizes leave the killed supernode at least 3 children, alive when it dies (kazaa.ini):
  // they re-attach, some only once the ordinary nodes' deaths free places, and none ends an orphan.
  TempDir dir;
  ChaosRun run = run_chaos(dir, "kazaa");
  const json& m = run.metrics;
  ASSERT_TRUE(m.is_object());
  EXPECT_EQ(run.summary["nodes_killed"], 4);
  EXPECT_GE(m["reattaches"].get<int>(), 1) << m.dump(2);
  EXPECT_EQ(m["orphans_at_end"], 0);
  EXPECT_EQ(m["downloads_corrupt"], 0);
}

TEST(ChaosTest, CoolstreamingSurvivorsKeepTheirContinuity) {
  TempDir dir;
  ChaosRun run = run_chaos(dir, "coolstreaming");
  const json& m = run.metrics;
  ASSERT_TRUE(m.is_object());
  EXPECT_EQ(run.summary["nodes_killed"], 2);
  EXPECT_EQ(m["survivors"], 8) << m.dump(2);
  EXPECT_EQ(m["survivors_playing"], 8);
  EXPECT_GT(m["continuity_survivors_min"].get<double>(), 0.9);
}

}  // namespace
}  // namespace p2p::labs::testing
