// Lab 07's tracker-dies with the DHT, as processes: the newcomers that arrive after the tracker's death
// find the swarm through bt-peer's own DHT node, joined through dht-0 (labs/07-trackerless/README.md).
#include <gtest/gtest.h>

#include <iostream>
#include <string>

#include "tests/labs/launcher_harness.h"

namespace p2p::labs::testing {
namespace {

using namespace std::chrono_literals;

TEST(TrackerlessDhtTest, NewcomersAfterTheTrackerDiesCompleteThroughTheDht) {
  // The scenario shortened: 10 leechers of a 1 MiB file arriving one every 2 s on average, the tracker
  // killed at 10 s, at most 60 s. The run ends as soon as every leecher has completed.
  TempDir dir;
  std::string out = dir.path() + "/dht";
  Launcher lab({"run", source("labs/07-trackerless/tracker-dies.ini"), "--headless", "--out", out, "--set",
                "bittorrent.discovery=dht", "--set", "bittorrent.file_size=1048576", "--set",
                "role.leecher.count=10", "--set", "role.leecher.arrival=poisson:0.5", "--set",
                "timeline.at=10 kill tracker-0", "--duration", "60"},
               dir.path() + "/output.txt");
  ASSERT_EQ(lab.wait(150s), std::optional<int>(0)) << lab.output();
  auto summary = json_file(out + "/summary.json");
  ASSERT_TRUE(summary) << lab.output();
  const nlohmann::json& m = (*summary)["metrics"];
  ASSERT_TRUE(m["completed_after_tracker_death"].is_number()) << m.dump(2);
  EXPECT_GE(m["arrived_after_tracker_death"].get<int>(), 2) << m.dump(2);
  // Under the tracker alone or PEX this share is 0 (trackerless_sim_test); the DHT lets most in.
  EXPECT_GE(m["completed_after_tracker_death"].get<double>(), 0.5) << m.dump(2);
  EXPECT_GT(m["peers_via_dht"].get<double>(), 0) << m.dump(2);
  EXPECT_EQ((*summary)["nodes_crashed"], 0);
  std::cout << "[ figures  ] DHT: " << m["completed_after_tracker_death"] << " of "
            << m["arrived_after_tracker_death"]
            << " newcomers after the tracker's death completed; peers_via_dht " << m["peers_via_dht"] << "\n";
}

}  // namespace
}  // namespace p2p::labs::testing
