// Tests of a link's loss, from a scenario's [link.NAME] section to the node's --loss flag, the sim's link
// and the launcher's rate command.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "common/sim/sim_net.h"
#include "labs/launcher/command_server.h"
#include "labs/launcher/node_command.h"
#include "labs/launcher/scenario.h"
#include "tests/support/datagram_core.h"

namespace p2p::labs {
namespace {

using p2p::testing::DatagramCore;

constexpr const char* kLossy = R"(
system = echo
duration = 10

[role.node]
count = 2
binary = p2p-echo
link = lossy

[link.lossy]
latency_ms = 5
loss = 0.5
)";

Expected<Scenario> parse(std::vector<std::string> overrides = {}) {
  std::istringstream in(kLossy);
  return parse_scenario(in, "labs/test/lossy.ini", overrides);
}

// The datagrams of `count` sent from a node on `link` to one on a lossless link that arrive, under --sim.
std::size_t arrived(const LinkConfig& link, int count) {
  sim::SimNet net(3);
  auto make = [](Runtime& rt) { return std::make_unique<DatagramCore>(rt); };
  sim::NodeIndex from = net.add_node("from", link, make);
  sim::NodeIndex to = net.add_node("to", LinkConfig{}, make);
  net.core_as<DatagramCore>(from).send(net.endpoint(to), count, 8);
  net.run_for(std::chrono::seconds(1));
  EXPECT_EQ(net.datagrams(from).sent + net.datagrams(from).dropped, static_cast<std::uint64_t>(count));
  return net.core_as<DatagramCore>(to).received.size();
}

TEST(LinkLossTest, ALinkSectionSetsItsLossAndKeepsTheBuiltInsLossless) {
  auto s = parse({"link.adsl.loss=0.05"});
  ASSERT_TRUE(s) << s.reason();
  EXPECT_EQ(s->profiles.at("lossy").loss, 0.5);
  EXPECT_EQ(s->profiles.at("lossy").latency_ms, 5);
  EXPECT_EQ(s->profiles.at("adsl").loss, 0.05);
  EXPECT_EQ(s->profiles.at("adsl").up_kbps, builtin_profiles().at("adsl").up_kbps);
  EXPECT_EQ(s->profiles.at("cable").loss, 0);
  ASSERT_TRUE(parse({"link.lossy.loss=1"}));  // a link that loses everything is a lab's right
}

TEST(LinkLossTest, ALossOutsideZeroToOneIsRefusedByName) {
  struct Case {
    std::string override;
    std::string expected;
  };
  for (const Case& c :
       std::vector<Case>{{"link.lossy.loss=1.5", "link.lossy.loss: the fraction of datagrams"},
                         {"link.lossy.loss=5", "0 to 1"},
                         {"link.lossy.loss=-0.1", "link.lossy.loss: cannot be negative"},
                         {"link.lossy.loss=some", "link.lossy.loss"},
                         {"link.lossy.los=0.1", "latency_ms, loss"}}) {
    auto s = parse({c.override});
    ASSERT_FALSE(s) << c.override;
    EXPECT_NE(s.reason().find(c.expected), std::string::npos) << s.reason();
  }
}

// Found by labs_scenario_fuzz: up_kbps = 1e100 was cast to an unsigned integer out of its range.
TEST(LinkLossTest, ALinkBeyondWhatANodeTakesIsRefusedByName) {
  for (std::string key : {"link.fast.up_kbps", "link.fast.down_kbps", "link.far.latency_ms"}) {
    auto s = parse({key + "=1e100"});
    ASSERT_FALSE(s) << key;
    EXPECT_NE(s.reason().find(key + ": at most"), std::string::npos) << s.reason();
  }
  auto fast = parse({"link.fast.up_kbps=1e12", "link.fast.latency_ms=3600000"});
  ASSERT_TRUE(fast) << fast.reason();
  EXPECT_EQ(fast->profiles.at("fast").up_kbps, 1'000'000'000'000u);
}

TEST(LinkLossTest, ALossyProfileGivesItsNodesTheLossFlag) {
  LinkProfile lossy{256, 1024, 20, 0.05};
  NodeCommand command{"/b/bt-dht", "dht-1", 7,    "tcp://127.0.0.1:5000", "tcp://127.0.0.1:5001",
                      &lossy,      "",      false};
  std::vector<std::string> argv = node_argv(command, {});
  auto flag = std::find(argv.begin(), argv.end(), "--loss");
  ASSERT_NE(flag, argv.end());
  EXPECT_EQ(*(flag + 1), "0.05");
  lossy.loss = 0;  // a lossless link keeps the command line it always had
  argv = node_argv(command, {});
  EXPECT_EQ(std::find(argv.begin(), argv.end(), "--loss"), argv.end());
}

TEST(LinkLossTest, TheSimLinkOfALossyProfileLosesItsShareOfDatagrams) {
  auto s = parse();
  ASSERT_TRUE(s) << s.reason();
  LinkConfig lossy = link_config(s->profiles.at("lossy"));
  EXPECT_EQ(lossy.loss, 0.5);
  EXPECT_EQ(lossy.latency, std::chrono::milliseconds(5));
  LinkConfig lossless = lossy;
  lossless.loss = 0;
  // 2,000 datagrams at 50 %: the count that arrives is binomial (sd 22), so 100 either way is > 4 sd.
  EXPECT_EQ(arrived(lossless, 2000), 2000u);
  EXPECT_NEAR(static_cast<double>(arrived(lossy, 2000)), 1000.0, 100.0);
}

TEST(LinkLossTest, TheRateCommandPassesALossOfZeroToOneToTheNode) {
  auto message = rate_message({{"cmd", "rate"}, {"node", "dht-1"}, {"loss", 0.2}, {"up_kbps", 100}});
  ASSERT_TRUE(message) << message.reason();
  EXPECT_EQ(*message, (nlohmann::json{{"cmd", "rate"}, {"up_kbps", 100}, {"loss", 0.2}}));
  for (const nlohmann::json& bad : {nlohmann::json(1.5), nlohmann::json(-0.5), nlohmann::json("half")}) {
    auto refused = rate_message({{"cmd", "rate"}, {"node", "dht-1"}, {"loss", bad}});
    ASSERT_FALSE(refused) << bad;
    EXPECT_NE(refused.reason().find("loss"), std::string::npos) << refused.reason();
  }
  auto slow = rate_message({{"cmd", "rate"}, {"node", "dht-1"}, {"latency_ms", "slow"}});
  ASSERT_FALSE(slow);
  EXPECT_NE(slow.reason().find("latency_ms"), std::string::npos);
}

}  // namespace
}  // namespace p2p::labs
