// bt-dht's flags: what they set in the DhtCoreConfig, and a reason naming each bad one.
#include "bittorrent/app/dht_options.h"

#include <gtest/gtest.h>

namespace p2p::bittorrent {
namespace {

Expected<dht::DhtCoreConfig> options_from(std::vector<std::string> args) {
  po::options_description options;
  add_dht_options(options);
  args.insert(args.begin(), "bt-dht");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  po::variables_map vm;
  po::store(po::parse_command_line(static_cast<int>(argv.size()), argv.data(), options), vm);
  po::notify(vm);
  return read_dht_options(vm);
}

const std::string kHash = "0123456789abcdef0123456789abcdef01234567";

TEST(DhtOptionsTest, ReadsBootstrapNodesIdAnnounceAndQueryRate) {
  auto config = options_from({"--bootstrap", "127.0.0.1:6881", "--bootstrap", "127.0.0.2:6882", "--id", kHash,
                              "--announce", kHash + ":51413", "--query-rate", "50"});
  ASSERT_TRUE(config) << config.reason();
  EXPECT_EQ(config->bootstrap, (std::vector<Endpoint>{{"127.0.0.1", 6881}, {"127.0.0.2", 6882}}));
  ASSERT_TRUE(config->id);
  EXPECT_EQ(config->id->bytes[0], 0x01);
  EXPECT_EQ(config->id->bytes[19], 0x67);
  ASSERT_TRUE(config->announce);
  EXPECT_EQ(config->announce->info_hash, *config->id);
  EXPECT_EQ(config->announce->port, 51413);
  EXPECT_EQ(config->node.rate_limit.per_second, 50);
  EXPECT_EQ(config->node.rate_limit.burst, 100);
}

TEST(DhtOptionsTest, ALoneFirstNodeNeedsNoFlags) {
  auto config = options_from({});
  ASSERT_TRUE(config) << config.reason();
  EXPECT_TRUE(config->bootstrap.empty());
  EXPECT_FALSE(config->id);
  EXPECT_FALSE(config->announce);
  EXPECT_EQ(config->lookup_every, Duration::zero());
}

TEST(DhtOptionsTest, ReadsALabsLookupPeriod) {
  auto config = options_from({"--lookup-every", "2.5"});
  ASSERT_TRUE(config) << config.reason();
  EXPECT_EQ(config->lookup_every, std::chrono::milliseconds(2500));
}

TEST(DhtOptionsTest, NamesTheBadFlag) {
  EXPECT_NE(options_from({"--bootstrap", "nowhere"}).reason().find("--bootstrap"), std::string::npos);
  EXPECT_NE(options_from({"--id", "abc"}).reason().find("--id"), std::string::npos);
  EXPECT_NE(options_from({"--announce", kHash}).reason().find("--announce"), std::string::npos);
  EXPECT_NE(options_from({"--announce", kHash + ":0"}).reason().find("--announce"), std::string::npos);
  EXPECT_NE(options_from({"--query-rate", "-1"}).reason().find("--query-rate"), std::string::npos);
  EXPECT_NE(options_from({"--lookup-every", "-1"}).reason().find("--lookup-every"), std::string::npos);
}

}  // namespace
}  // namespace p2p::bittorrent
