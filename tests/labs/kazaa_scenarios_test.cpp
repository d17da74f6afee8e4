// Tests of the KaZaA lab's scenarios: they are the experiments its handout describes (the same workload as
// the Gnutella flood, the busiest supernode killed, all nodes auto). That every shipped scenario loads is
// scenario_test.cpp's.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "labs/launcher/scenario.h"

namespace p2p::labs {
namespace {

std::string source(const std::string& path) {
  const char* dir = std::getenv("P2P_SOURCE");
  return std::string(dir ? dir : ".") + "/" + path;
}

Scenario load(const std::string& path) {
  auto scenario = load_scenario(source(path), {});
  EXPECT_TRUE(scenario) << path << ": " << scenario.reason();
  return scenario ? *scenario : Scenario{};
}

const RoleSpec* role(const Scenario& s, const std::string& name) {
  for (const RoleSpec& r : s.roles) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

TEST(KazaaScenariosTest, KazaaOverheadRunsTheGnutellaFloodsWorkload) {
  Scenario flood = load("labs/03-gnutella/flood.ini");
  Scenario overhead = load("labs/04-kazaa/overhead.ini");
  EXPECT_EQ(overhead.system, "kazaa");
  EXPECT_EQ(overhead.duration, flood.duration);
  EXPECT_EQ(overhead.seed, flood.seed);
  for (const char* key :
       {"query_rate", "catalogue_files", "files_per_node", "max_file_size", "free_rider_fraction"}) {
    EXPECT_EQ(overhead.system_keys.at(std::string("kazaa.") + key),
              flood.system_keys.at(std::string("gnutella.") + key))
        << key;
  }
  const RoleSpec* servent = role(flood, "servent");
  const RoleSpec* super = role(overhead, "super");
  const RoleSpec* ordinary = role(overhead, "ordinary");
  ASSERT_TRUE(servent && super && ordinary);
  EXPECT_EQ(super->count + ordinary->count, servent->count);
  EXPECT_EQ(ordinary->link_text, servent->link_text);
  EXPECT_NE(super->args.find("--role super"), std::string::npos);
  EXPECT_NE(ordinary->args.find("--role ordinary"), std::string::npos);
}

TEST(KazaaScenariosTest, KazaaSupernodeFailureKillsTheSupernodeEveryoneIsNearest) {
  Scenario s = load("labs/04-kazaa/sn-failure.ini");
  ASSERT_EQ(s.timeline.size(), 1u);
  EXPECT_EQ(s.timeline[0].at, 30);
  EXPECT_EQ(s.timeline[0].kind, TimedAction::Kind::Kill);
  EXPECT_EQ(s.timeline[0].node, "hub-0");
  // hub-0 has the lowest latency of the supernodes, so the smallest RTT from every child.
  const RoleSpec* hub = role(s, "hub");
  const RoleSpec* super = role(s, "super");
  ASSERT_TRUE(hub && super);
  ASSERT_EQ(hub->count, 1u);
  EXPECT_LT(s.profiles.at(hub->link_text).latency_ms, s.profiles.at(super->link_text).latency_ms);
}

TEST(KazaaScenariosTest, KazaaPromotionStartsEveryNodeAuto) {
  Scenario s = load("labs/04-kazaa/promotion.ini");
  ASSERT_FALSE(s.roles.empty());
  for (const RoleSpec& r : s.roles) {
    EXPECT_NE(r.args.find("--role auto"), std::string::npos) << r.name;
    // The system key's value, put in place as the scenario loads.
    EXPECT_NE(r.args.find("--children-per-super " + s.system_keys.at("kazaa.children_per_super")),
              std::string::npos)
        << r.name;
  }
}

}  // namespace
}  // namespace p2p::labs
