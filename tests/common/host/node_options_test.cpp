// The shared node flags: defaults, units, and the exit code 2 with one line for a bad value.
#include "common/host/node_options.h"

#include <gtest/gtest.h>

namespace p2p {
namespace {

po::variables_map parse(std::vector<std::string> args) {
  po::options_description options;
  add_node_options(options);
  std::vector<const char*> argv{"test-node"};
  for (auto& a : args) argv.push_back(a.c_str());
  po::variables_map vm;
  po::store(po::parse_command_line(static_cast<int>(argv.size()), argv.data(), options), vm);
  po::notify(vm);
  return vm;
}

TEST(NodeOptionsTest, DefaultsListenOnLoopbackWithAnUnlimitedLink) {
  NodeOptions o = read_node_options(parse({}), "test-node");
  EXPECT_EQ(o.listen.str(), "127.0.0.1:0");
  EXPECT_EQ(o.link.up_bps, 0u);
  EXPECT_EQ(o.link.latency, Duration{0});
  EXPECT_EQ(o.log_level, LogLevel::Info);
  EXPECT_TRUE(o.node_id.starts_with("test-node-"));
}

TEST(NodeOptionsTest, LinkFlagsAreKilobitsAndMilliseconds) {
  NodeOptions o = read_node_options(parse({"--listen", "6699", "--up-kbps", "512", "--down-kbps", "8000",
                                           "--latency-ms", "25", "--node-id", "peer-1"}),
                                    "test-node");
  EXPECT_EQ(o.listen.port, 6699);
  EXPECT_EQ(o.link.up_bps, 512'000u);
  EXPECT_EQ(o.link.down_bps, 8'000'000u);
  EXPECT_EQ(o.link.latency, std::chrono::milliseconds(25));
  EXPECT_EQ(o.node_id, "peer-1");
}

TEST(NodeOptionsTest, LossIsAFractionOfDatagrams) {
  EXPECT_EQ(read_node_options(parse({}), "test-node").link.loss, 0.0);
  EXPECT_EQ(read_node_options(parse({"--loss", "0.25"}), "test-node").link.loss, 0.25);
}

TEST(NodeOptionsDeathTest, ListeningBeyondLoopbackNeedsBindAny) {
  auto vm = parse({"--listen", "0.0.0.0:5000"});
  EXPECT_EXIT(read_node_options(vm, "test-node"), ::testing::ExitedWithCode(2), "--bind-any");
  EXPECT_EQ(read_node_options(parse({"--listen", "0.0.0.0:5000", "--bind-any"}), "test-node").listen.host,
            "0.0.0.0");
}

TEST(NodeOptionsDeathTest, ABadLogLevelEndsWithExitCodeTwo) {
  auto vm = parse({"--log-level", "loud"});
  EXPECT_EXIT(read_node_options(vm, "test-node"), ::testing::ExitedWithCode(2), "--log-level: expected");
}

TEST(NodeOptionsDeathTest, ALossOutsideZeroToOneEndsWithExitCodeTwo) {
  for (const char* bad : {"1.5", "-0.1", "nan"}) {
    auto vm = parse({"--loss", bad});
    EXPECT_EXIT(read_node_options(vm, "test-node"), ::testing::ExitedWithCode(2), "--loss: expected 0 to 1");
  }
}

}  // namespace
}  // namespace p2p
