// The content flags: one catalogue per lab, a share per node, and one-line errors.
#include "common/host/content_options.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace p2p {
namespace {

Expected<ContentShare> share_from(std::vector<std::string> args) {
  po::options_description options = content_options("Content", {});
  args.insert(args.begin(), "node");
  std::vector<const char*> argv;
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  po::variables_map vm;
  po::store(po::parse_command_line(static_cast<int>(argv.size()), argv.data(), options), vm);
  po::notify(vm);
  return read_content_options(vm);
}

TEST(ContentOptionsTest, SizesTakeBinaryUnits) {
  EXPECT_EQ(*parse_size("65536"), 65536u);
  EXPECT_EQ(*parse_size("64K"), 65536u);
  EXPECT_EQ(*parse_size("8m"), 8u << 20);
  EXPECT_EQ(*parse_size("1G"), 1u << 30);
  for (std::string_view bad : {"", "K", "12X", "1KB", "-5", "99999999999G"}) {
    EXPECT_FALSE(parse_size(bad).ok()) << bad;
  }
}

TEST(ContentOptionsTest, EveryNodeOfALabComputesTheSameCatalogueAndItsOwnShare) {
  auto first = share_from({"--nodes", "10", "--node-index", "0", "--catalogue-files", "50"});
  auto second = share_from({"--nodes", "10", "--node-index", "1", "--catalogue-files", "50"});
  ASSERT_TRUE(first.ok()) << first.reason();
  ASSERT_TRUE(second.ok()) << second.reason();
  ASSERT_EQ(first->catalogue->size(), 50u);
  for (std::size_t i = 0; i < 50; ++i) {
    EXPECT_EQ(first->catalogue->file(i).name, second->catalogue->file(i).name);
    EXPECT_EQ(first->catalogue->file(i).size, second->catalogue->file(i).size);
  }
  EXPECT_FALSE(first->shared.empty());
  EXPECT_NE(first->shared, second->shared);
}

TEST(ContentOptionsTest, AFreeRiderHoldsNothing) {
  auto share = share_from({"--free-rider"});
  ASSERT_TRUE(share.ok()) << share.reason();
  EXPECT_TRUE(share->free_rider);
  EXPECT_TRUE(share->shared.empty());
}

TEST(ContentOptionsTest, MistakesNameTheirFlag) {
  EXPECT_EQ(share_from({"--nodes", "3", "--node-index", "3"}).reason(),
            "--node-index: must be below --nodes");
  EXPECT_EQ(share_from({"--max-file-size", "1K"}).reason(), "--max-file-size: at least --min-file-size");
  EXPECT_EQ(share_from({"--min-file-size", "5X"}).reason(),
            "--min-file-size: unknown size unit 'X' (K, M or G)");
  EXPECT_EQ(share_from({"--free-rider-fraction", "2"}).reason(), "--free-rider-fraction: expected 0 to 1");
  EXPECT_EQ(share_from({"--catalogue-files", "0"}).reason(), "--catalogue-files: at least 1");
}

}  // namespace
}  // namespace p2p
