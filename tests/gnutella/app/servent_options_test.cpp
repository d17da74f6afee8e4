// The gnutella-servent flags: a fixed topology, the shared placement every node computes alike, and bad
// values.
#include "gnutella/app/servent_options.h"

#include <gtest/gtest.h>

#include <set>

namespace p2p::gnutella {
namespace {

Expected<ServentConfig> config_from(std::vector<std::string> args) {
  po::options_description options;
  add_servent_options(options);
  args.insert(args.begin(), "gnutella-servent");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  po::variables_map vm;
  po::store(po::parse_command_line(static_cast<int>(argv.size()), argv.data(), options), vm);
  po::notify(vm);
  return read_servent_options(vm);
}

TEST(ServentOptionsTest, NeighboursMakeAFixedTopologyFromCommaListsAndRepeats) {
  auto config =
      config_from({"--neighbours", "127.0.0.1:7001,127.0.0.1:7002", "--neighbours", "127.0.0.1:7003"});
  ASSERT_TRUE(config.ok()) << config.reason();
  EXPECT_TRUE(config->overlay.fixed);
  EXPECT_EQ(config->overlay.neighbours.size(), 3u);
  EXPECT_EQ(config->overlay.neighbours[2], (Endpoint{"127.0.0.1", 7003}));

  auto natural =
      config_from({"--bootstrap", "127.0.0.1:7001", "--degree", "3", "--max-degree", "5", "--ttl", "4"});
  ASSERT_TRUE(natural.ok()) << natural.reason();
  EXPECT_FALSE(natural->overlay.fixed);
  EXPECT_EQ(natural->overlay.bootstrap, std::vector<Endpoint>{(Endpoint{"127.0.0.1", 7001})});
  EXPECT_EQ(natural->overlay.degree, 3u);
  EXPECT_EQ(natural->ttl, 4);
}

TEST(ServentOptionsTest, EveryNodeComputesTheSamePlacementAndTakesItsOwnShare) {
  // Ten servents of one lab, 70 % free riders: each finds its own row of the one placement.
  std::size_t free_riders = 0;
  std::set<std::size_t> shared_somewhere;
  for (int i = 0; i < 10; ++i) {
    auto config = config_from({"--nodes", "10", "--node-index", std::to_string(i), "--catalogue-files", "50",
                               "--free-rider-fraction", "0.7", "--files-per-node", "5"});
    ASSERT_TRUE(config.ok()) << config.reason();
    EXPECT_EQ(config->catalogue->size(), 50u);
    if (config->free_rider) {
      ++free_riders;
    } else {
      shared_somewhere.insert(config->shared.begin(), config->shared.end());
    }
  }
  EXPECT_EQ(free_riders, 7u);
  EXPECT_EQ(shared_somewhere.size(), 50u);  // every file has a replica on some sharing node
  EXPECT_TRUE(config_from({"--free-rider"})->free_rider);
}

TEST(ServentOptionsTest, BadValuesAreRefusedNamingTheFlag) {
  EXPECT_EQ(config_from({"--ttl", "16"}).reason(), "--ttl: expected 1 to 15");
  EXPECT_EQ(config_from({"--degree", "0"}).reason(), "--degree: at least 1");
  EXPECT_EQ(config_from({"--degree", "5", "--max-degree", "4"}).reason(), "--max-degree: at least --degree");
  EXPECT_EQ(config_from({"--node-index", "3", "--nodes", "3"}).reason(),
            "--node-index: must be below --nodes");
  EXPECT_TRUE(config_from({"--bootstrap", "nowhere"}).reason().starts_with("--bootstrap: "));
  EXPECT_EQ(config_from({"--download-probability", "2"}).reason(), "--download-probability: expected 0 to 1");
}

}  // namespace
}  // namespace p2p::gnutella
