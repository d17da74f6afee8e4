// Tests of a lab across hosts, the pure half: the hosts list (a scenario's [hosts] or a --hosts file),
// role pins, placement by capacity, and the nodes' command lines with and without hosts.
#include <gtest/gtest.h>

#include <sstream>

#include "labs/launcher/hosts.h"
#include "labs/launcher/lab_plan.h"
#include "labs/launcher/node_command.h"
#include "labs/launcher/placement.h"
#include "labs/launcher/scenario.h"

namespace p2p::labs {
namespace {

constexpr const char* kLab = R"(
system = napster
[hosts]
a = student@10.0.0.1, 4
b = 10.0.0.2, 8
[role.server]
binary = napster-server
host = a
[role.peer]
count = 9
binary = napster-peer
args = --server {server-0}
)";

Expected<Scenario> parse(const std::string& text, std::vector<std::string> overrides = {}) {
  std::istringstream in(text);
  return parse_scenario(in, "lab.ini", overrides);
}

Expected<HostsConfig> parse_file(const std::string& text) {
  std::istringstream in(text);
  return parse_hosts_file(in, "room.hosts");
}

TEST(HostsTest, AScenarioNamesItsHostsAndARoleMayPinItsNodesToOne) {
  auto s = parse(kLab);
  ASSERT_TRUE(s) << s.reason();
  ASSERT_EQ(s->hosts.hosts.size(), 2u);
  EXPECT_EQ(s->hosts.host("a")->destination, "student@10.0.0.1");
  EXPECT_EQ(s->hosts.host("b")->capacity, 8u);
  EXPECT_EQ(s->hosts.binaries, BinaryMode::Copy);  // the default
  EXPECT_EQ(s->role("server")->host, "a");
  EXPECT_TRUE(s->hosts.spans_hosts());
  // Without a [hosts] section the lab is this machine's alone, as before.
  auto alone = parse("system = napster\n[role.server]\nbinary = napster-server\n");
  ASSERT_TRUE(alone) << alone.reason();
  EXPECT_FALSE(alone->hosts.spans_hosts());
}

TEST(HostsTest, AHostsFileHasTheSameLinesAndSaysWhereAMistakeIs) {
  auto hosts = parse_file(
      "# the lab room\n[hosts]\npc01 = lab-pc-01, 40  # by the door\n\nbinaries = shared\n"
      "ssh_config = /tmp/cfg\n");
  ASSERT_TRUE(hosts) << hosts.reason();
  ASSERT_EQ(hosts->hosts.size(), 1u);
  EXPECT_EQ(hosts->hosts[0].name, "pc01");
  EXPECT_EQ(hosts->hosts[0].destination, "lab-pc-01");
  EXPECT_EQ(hosts->hosts[0].capacity, 40u);
  EXPECT_EQ(hosts->binaries, BinaryMode::Shared);
  EXPECT_EQ(hosts->ssh_config, "/tmp/cfg");

  struct Case {
    std::string text;
    std::string expected;
  };
  std::vector<Case> cases = {
      {"pc01 = lab-pc-01\n", "room.hosts:1: pc01: expected NAME = DESTINATION, CAPACITY"},
      {"\npc01 = lab-pc-01, many\n", "room.hosts:2: pc01: the capacity: expected a whole number"},
      {"pc01 = lab-pc-01, 0\n", "room.hosts:1: pc01: the capacity must be 1 to"},
      {"pc01 = a, 1\npc01 = b, 1\n", "room.hosts:2: host 'pc01' is given twice"},
      {"pc 1 = a, 1\n", "room.hosts:1: host name 'pc 1'"},
      {"just-a-name\n", "room.hosts:1: expected NAME = DESTINATION, CAPACITY"},
      {"binaries = sometimes\n", "room.hosts:1: binaries: expected copy or shared"},
      {"# nothing\n", "room.hosts: no host"},
  };
  for (const Case& c : cases) {
    auto bad = parse_file(c.text);
    ASSERT_FALSE(bad) << c.text;
    EXPECT_NE(bad.reason().find(c.expected), std::string::npos) << bad.reason();
  }
  auto in_scenario = parse(kLab, {"hosts.c=x"});
  ASSERT_FALSE(in_scenario);
  EXPECT_NE(in_scenario.reason().find("[hosts] c: expected"), std::string::npos) << in_scenario.reason();
}

TEST(HostsTest, PinnedNodesGoFirstAndTheRestFillHostsByCapacity) {
  auto s = parse(kLab);
  ASSERT_TRUE(s) << s.reason();
  LabPlan plan = plan_lab(*s);
  auto placement = Placement::make(s->hosts, *s, plan.nodes);
  ASSERT_TRUE(placement) << placement.reason();
  // server-0 is pinned to a (host 0) and takes its first slot.
  EXPECT_EQ(placement->of(0).host, 0u);
  EXPECT_EQ(placement->of(0).slot, 0u);
  // The other nine fill the hosts in proportion to their capacities, 4 and 8: ten nodes end as 3 and 7.
  EXPECT_EQ(placement->used(0) + placement->used(1), 10u);
  EXPECT_EQ(placement->used(0), 3u);
  EXPECT_EQ(placement->used(1), 7u);
  // Slots on a host count up from 0 without gaps.
  std::vector<std::vector<bool>> taken = {std::vector<bool>(4), std::vector<bool>(8)};
  for (const PlannedNode& node : plan.nodes) {
    const HostSlot& place = placement->of(node.index);
    ASSERT_LT(place.slot, taken[place.host].size());
    EXPECT_FALSE(taken[place.host][place.slot]);
    taken[place.host][place.slot] = true;
  }
  // A spawned node goes where room is left; past every capacity it is refused.
  auto extra = placement->add(*s->role("peer"), plan.nodes.size());
  ASSERT_TRUE(extra) << extra.reason();
  EXPECT_TRUE(placement->add(*s->role("peer"), plan.nodes.size() + 1));
  auto full = placement->add(*s->role("peer"), plan.nodes.size() + 2);
  ASSERT_FALSE(full);
  EXPECT_NE(full.reason().find("every host is full"), std::string::npos) << full.reason();
}

TEST(HostsTest, PlacementRefusesALabThatDoesNotFitAndAPinToNoHost) {
  auto big = parse(kLab, {"role.peer.count=12"});
  ASSERT_TRUE(big) << big.reason();
  auto refused = Placement::make(big->hosts, *big, plan_lab(*big).nodes);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.reason(),
            "the lab has 13 nodes but its hosts hold only 12 (raise a capacity in [hosts] or lower a count)");

  auto stray = parse(kLab, {"role.server.host=c"});
  ASSERT_TRUE(stray) << stray.reason();
  auto no_host = Placement::make(stray->hosts, *stray, plan_lab(*stray).nodes);
  ASSERT_FALSE(no_host);
  EXPECT_EQ(no_host.reason(), "role.server.host: no host named 'c' in [hosts]");

  auto crowded = parse(kLab, {"role.peer.host=a"});
  ASSERT_TRUE(crowded) << crowded.reason();
  auto over = Placement::make(crowded->hosts, *crowded, plan_lab(*crowded).nodes);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.reason(), "role.peer.host: a holds only 4 nodes");
}

TEST(HostsTest, ANodeOnThisMachineGetsTheSameCommandLineAsBefore) {
  // The flags and their order a single-machine lab has always given its nodes.
  LinkProfile adsl{256, 1024, 30, 0};
  NodeCommand local{"/b/napster-peer",      "peer-3", 42, "tcp://127.0.0.1:5000",
                    "tcp://127.0.0.1:5001", &adsl,    "", false};
  EXPECT_EQ(node_argv(local, {"--server", "127.0.0.1:7000"}),
            (std::vector<std::string>{"/b/napster-peer", "--node-id", "peer-3", "--seed", "42", "--telemetry",
                                      "tcp://127.0.0.1:5000", "--control", "tcp://127.0.0.1:5001",
                                      "--up-kbps", "256", "--down-kbps", "1024", "--latency-ms", "30",
                                      "--server", "127.0.0.1:7000"}));
  NodeCommand planned_port = local;
  planned_port.link = nullptr;
  planned_port.listen = "127.0.0.1:9000";
  EXPECT_EQ(node_argv(planned_port, {}),
            (std::vector<std::string>{"/b/napster-peer", "--node-id", "peer-3", "--seed", "42", "--telemetry",
                                      "tcp://127.0.0.1:5000", "--control", "tcp://127.0.0.1:5001", "--listen",
                                      "127.0.0.1:9000"}));
  // On another host it listens on that host's address, which the node accepts only with --bind-any.
  NodeCommand remote = planned_port;
  remote.listen = "10.0.0.2:20003";
  remote.beyond_loopback = true;
  std::vector<std::string> argv = node_argv(remote, {});
  EXPECT_EQ(argv[argv.size() - 3], "--listen");
  EXPECT_EQ(argv[argv.size() - 2], "10.0.0.2:20003");
  EXPECT_EQ(argv.back(), "--bind-any");
}

}  // namespace
}  // namespace p2p::labs
