// Lab 07 under --sim, short: Kademlia's lookups among 200 nodes, and newcomers after the tracker's death
// with the tracker alone and with PEX (labs/07-trackerless/README.md).
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include "tests/labs/launcher_harness.h"

namespace p2p::labs::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// Runs a lab 07 scenario under --sim with `sets` and returns its summary. Seconds of CPU each; the wait
// allows for a machine busy with other work.
json run_sim(const TempDir& dir, const std::string& scenario, const std::string& name,
             const std::vector<std::string>& sets) {
  std::string out = dir.path() + "/" + name;
  std::vector<std::string> args = {"run", source("labs/07-trackerless/" + scenario), "--sim", "--out", out};
  for (const std::string& set : sets) args.insert(args.end(), {"--set", set});
  Launcher lab(args, out + ".txt");
  EXPECT_EQ(lab.wait(280s), std::optional<int>(0)) << lab.output();
  auto summary = json_file(out + "/summary.json");
  EXPECT_TRUE(summary) << lab.output();
  return summary ? (*summary)["metrics"] : json::object();
}

TEST(TrackerlessSimTest, LookupsAmong200NodesFindTheKClosestInAtMostLog2NHops) {
  TempDir dir;
  json m = run_sim(dir, "dht-lookups.ini", "lookups", {"role.node.count=199", "duration=60"});
  ASSERT_TRUE(m["lookup_success"].is_number()) << m.dump(2);
  EXPECT_EQ(m["dht_nodes"], 200);
  // Every node looks up every 10 s once joined: a few per node in 60 s.
  EXPECT_GE(m["lookups"].get<int>(), 400);
  EXPECT_GE(m["lookup_success"].get<double>(), 0.9);
  EXPECT_LE(m["lookup_hops_median"].get<double>(), std::log2(200.0));
  EXPECT_GT(m["lookup_messages_median"].get<double>(), 0);
  std::cout << "[ figures  ] 200 nodes: lookup_success " << m["lookup_success"] << ", hops median "
            << m["lookup_hops_median"] << ", messages median " << m["lookup_messages_median"] << " over "
            << m["lookups"] << " lookups\n";
}

TEST(TrackerlessSimTest, AfterTheTrackerDiesNewcomersStallWithoutTheDhtWhilePexKeepsTheSwarmTalking) {
  TempDir dir;
  json alone = run_sim(dir, "tracker-dies.ini", "tracker", {});
  json pex = run_sim(dir, "tracker-dies.ini", "pex", {"bittorrent.discovery=pex"});
  for (const json* m : {&alone, &pex}) {
    ASSERT_TRUE((*m)["tracker_died_s"].is_number()) << m->dump(2);
    EXPECT_NEAR((*m)["tracker_died_s"].get<double>(), 30, 0.5);
    // Some leechers arrive after the death; none of them has a way in, with PEX or without.
    EXPECT_GE((*m)["arrived_after_tracker_death"].get<int>(), 3) << m->dump(2);
    EXPECT_EQ((*m)["completed_after_tracker_death"], 0) << m->dump(2);
    // Those that came before complete: the swarm needs the tracker only to be found.
    int before = (*m)["leechers"].get<int>() - (*m)["arrived_after_tracker_death"].get<int>();
    EXPECT_EQ((*m)["completed"].get<int>(), before) << m->dump(2);
  }
  // PEX told the peers of each other; with it off, nobody learned anyone that way.
  EXPECT_EQ(alone["peers_via_pex"], 0);
  EXPECT_GT(pex["peers_via_pex"].get<double>(), 0);
  std::cout << "[ figures  ] after the tracker's death " << alone["arrived_after_tracker_death"]
            << " arrived and " << alone["completed_after_tracker_death"] << " completed (tracker only), "
            << pex["completed_after_tracker_death"] << " (PEX); peers_via_pex " << pex["peers_via_pex"]
            << "\n";
}

}  // namespace
}  // namespace p2p::labs::testing
