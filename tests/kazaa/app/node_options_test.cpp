// The kazaa-node flags: the role, the supernode lists from the launcher's comma lists, the search knobs, and
// bad values.
#include "kazaa/app/node_options.h"

#include <gtest/gtest.h>

namespace p2p::kazaa {
namespace {

Expected<NodeConfig> config_from(std::vector<std::string> args) {
  po::options_description options;
  add_kazaa_options(options);
  args.insert(args.begin(), "kazaa-node");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  po::variables_map vm;
  po::store(po::parse_command_line(static_cast<int>(argv.size()), argv.data(), options), vm);
  po::notify(vm);
  return read_kazaa_options(vm);
}

TEST(KazaaOptionsTest, ASupernodeTakesItsQuotaNeighboursAndBootstrapList) {
  // The launcher's "{role:super},{all:super}" may repeat the first supernode and leave empty entries.
  auto config =
      config_from({"--role", "super", "--bootstrap", "127.0.0.1:7001,,127.0.0.1:7002,", "--max-children",
                   "120", "--sn-neighbours", "3", "--want", "20", "--indirect", "2"});
  ASSERT_TRUE(config.ok()) << config.reason();
  EXPECT_EQ(config->role, Role::Super);
  EXPECT_FALSE(config->auto_role);
  ASSERT_EQ(config->super.bootstrap.size(), 2u);
  EXPECT_EQ(config->super.bootstrap[1].address, (Endpoint{"127.0.0.1", 7002}));
  EXPECT_EQ(config->super.max_children, 120u);
  EXPECT_EQ(config->super.sn_neighbours, 3u);
  EXPECT_EQ(config->super.query.want, 20u);
  EXPECT_EQ(config->super.query.indirect, 2u);
}

TEST(KazaaOptionsTest, AnOrdinaryNodeShipsWithItsBootstrapListAndItsShare) {
  auto config = config_from({"--bootstrap", "127.0.0.1:7001", "--query-rate", "0.5", "--nodes", "10",
                             "--node-index", "3", "--catalogue-files", "50", "--files-per-node", "4"});
  ASSERT_TRUE(config.ok()) << config.reason();
  EXPECT_EQ(config->role, Role::Ordinary);
  ASSERT_EQ(config->ordinary.bootstrap.size(), 1u);
  EXPECT_DOUBLE_EQ(config->ordinary.query_rate, 0.5);
  EXPECT_EQ(config->catalogue->size(), 50u);
  EXPECT_FALSE(config->shared.empty());
}

TEST(KazaaOptionsTest, AutoStartsOrdinaryWithTheElectionOn) {
  auto config = config_from({"--role", "auto", "--children-per-super", "40"});
  ASSERT_TRUE(config.ok()) << config.reason();
  EXPECT_TRUE(config->auto_role);
  EXPECT_EQ(config->role, Role::Ordinary);
  EXPECT_EQ(config->election.children_per_super, 40u);
}

TEST(KazaaOptionsTest, BadValuesNameTheirFlag) {
  for (const auto& [args, flag] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"--role", "leaf"}, "--role"},
           {{"--bootstrap", "nowhere"}, "--bootstrap"},
           {{"--max-children", "0"}, "--max-children"},
           {{"--sn-neighbours", "0"}, "--sn-neighbours"},
           {{"--want", "201"}, "--want"},
           {{"--indirect", "0"}, "--indirect"},
           {{"--query-rate", "-1"}, "--query-rate"},
           {{"--download-probability", "2"}, "--download-probability"}}) {
    auto config = config_from(args);
    ASSERT_FALSE(config.ok()) << flag;
    EXPECT_EQ(config.reason().rfind(flag, 0), 0u) << config.reason();
  }
}

}  // namespace
}  // namespace p2p::kazaa
