// DoneWatch: a run is done once every node of each role that names a done event has sent it.
#include "labs/launcher/done_watch.h"

#include <gtest/gtest.h>

#include <sstream>

namespace p2p::labs {
namespace {

Scenario scenario() {
  std::istringstream in(R"(
system = bittorrent
[role.tracker]
binary = bt-tracker
[role.leecher]
count = 2
binary = bt-peer
done = completed
[role.freerider]
count = 1
binary = bt-peer
done = completed
)");
  return *parse_scenario(in, "flash.ini", {});
}

nlohmann::json event(const std::string& node, const std::string& name) {
  return {{"v", 1}, {"kind", "event"}, {"t", 1.0}, {"node", node}, {"event", name}, {"data", {}}};
}

// Supervisor::node_list() as it would be: every node made so far, whatever its state.
nlohmann::json nodes(std::initializer_list<std::pair<const char*, const char*>> ids_and_roles) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [id, role] : ids_and_roles) list.push_back({{"id", id}, {"role", role}});
  return list;
}

TEST(DoneWatchTest, IsDoneOnceEveryNodeOfTheDoneRolesSentTheirEvent) {
  DoneWatch watch(scenario());
  ASSERT_TRUE(watch.enabled());
  auto all = nodes({{"tracker-0", "tracker"},
                    {"leecher-0", "leecher"},
                    {"leecher-1", "leecher"},
                    {"freerider-0", "freerider"}});
  watch.observe(event("leecher-0", "completed"));
  watch.observe(event("leecher-1", "started"));  // another event
  watch.observe(event("freerider-0", "completed"));
  EXPECT_EQ(watch.done(all), std::nullopt);
  watch.observe(event("leecher-1", "completed"));
  // The tracker names no done event.
  EXPECT_EQ(watch.done(all), "every freerider sent completed and every leecher sent completed");
  // Roles without nodes are not named.
  EXPECT_EQ(watch.done(nodes({{"leecher-0", "leecher"}})), "every leecher sent completed");
  // A node spawned later, or still waiting for its arrival, is not done yet.
  all.push_back({{"id", "leecher-2"}, {"role", "leecher"}});
  EXPECT_EQ(watch.done(all), std::nullopt);
}

TEST(DoneWatchTest, AStatusRecordOrAnotherNodesEventIsNoEvidence) {
  DoneWatch watch(scenario());
  watch.observe({{"v", 1}, {"kind", "status"}, {"node", "leecher-0"}, {"event", "completed"}});
  watch.observe(event("tracker-0", "completed"));
  EXPECT_EQ(watch.done(nodes({{"leecher-0", "leecher"}})), std::nullopt);
  // With no node of a done role at all, nothing is done.
  EXPECT_EQ(watch.done(nodes({{"tracker-0", "tracker"}})), std::nullopt);
}

TEST(DoneWatchTest, AScenarioWithoutDoneEventsIsNeverDone) {
  std::istringstream in("[role.server]\nbinary = p2p-echo\n");
  DoneWatch watch(*parse_scenario(in, "echo.ini", {}));
  EXPECT_FALSE(watch.enabled());
  watch.observe(event("server-0", "listening"));
  EXPECT_EQ(watch.done(nodes({{"server-0", "server"}})), std::nullopt);
}

}  // namespace
}  // namespace p2p::labs
