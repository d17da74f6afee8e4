// napster-peer's flags: peers of one lab agree on the catalogue, and every mistake names its flag.
#include "napster/app/peer_options.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace p2p::napster {
namespace {

Expected<PeerOptions> options_from(std::vector<std::string> args) {
  po::options_description options;
  add_peer_options(options);
  args.insert(args.begin(), "napster-peer");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  po::variables_map vm;
  po::store(po::parse_command_line(static_cast<int>(argv.size()), argv.data(), options), vm);
  po::notify(vm);
  return read_peer_options(vm, "node-7");
}

TEST(PeerOptionsTest, PeersOfOneLabAgreeOnTheCatalogueAndSplitItByPlacement) {
  std::vector<std::string> common = {"--server", "127.0.0.1:8888", "--nodes", "3", "--catalogue-files", "30"};
  std::vector<std::size_t> held(30, 0);
  for (int i = 0; i < 3; ++i) {
    auto args = common;
    args.insert(args.end(), {"--node-index", std::to_string(i)});
    auto options = options_from(args);
    ASSERT_TRUE(options.ok()) << options.reason();
    EXPECT_EQ(options->config.nick, "node-7") << "the nick defaults to the node id";
    EXPECT_EQ(options->catalogue->size(), 30u);
    for (std::size_t f : options->shared) ++held[f];
  }
  // Every catalogue file is held by at least one of the three peers.
  EXPECT_EQ(std::count(held.begin(), held.end(), 0), 0);
}

TEST(PeerOptionsTest, MistakesNameTheFlag) {
  auto reason = [](std::vector<std::string> args) {
    auto options = options_from(args);
    return options.ok() ? std::string("accepted") : options.reason();
  };
  EXPECT_NE(reason({}).find("--server"), std::string::npos);
  EXPECT_NE(reason({"--server", "nowhere"}).find("--server"), std::string::npos);
  EXPECT_NE(reason({"--server", "127.0.0.1:1", "--node-index", "1"}).find("--node-index"), std::string::npos);
  EXPECT_NE(reason({"--server", "127.0.0.1:1", "--download", "1.5"}).find("--download"), std::string::npos);
  EXPECT_NE(reason({"--server", "127.0.0.1:1", "--backoff-max", "0.5"}).find("--backoff-max"),
            std::string::npos);
  EXPECT_NE(reason({"--server", "127.0.0.1:1", "--nick", "has space"}).find("nick"), std::string::npos);
  EXPECT_EQ(reason({"--server", "127.0.0.1:1", "--free-rider", "--share-downloads=false"}), "accepted");
}

}  // namespace
}  // namespace p2p::napster
