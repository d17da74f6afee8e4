// Tests of link profiles and mixes: exact shares by largest remainder, shuffled order, weighted draws.
#include "labs/launcher/link_profiles.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

namespace p2p::labs {
namespace {

std::map<std::string, std::size_t> tally(const std::vector<std::string>& names) {
  std::map<std::string, std::size_t> counts;
  for (const auto& n : names) ++counts[n];
  return counts;
}

TEST(LinkMixTest, SplitsThirtyNodesSixtyThirtyTenExactly) {
  auto mix = LinkMix::parse("adsl:60,cable:30,fibre:10", builtin_profiles());
  ASSERT_TRUE(mix) << mix.reason();
  Rng rng(1);
  auto counts = tally(mix->assign(30, rng));
  EXPECT_EQ(counts["adsl"], 18u);
  EXPECT_EQ(counts["cable"], 9u);
  EXPECT_EQ(counts["fibre"], 3u);
}

TEST(LinkMixTest, GivesLeftoverNodesToTheLargestRemainders) {
  // 7 nodes of 1:1:1 are 2.33 each: one profile gets the extra node, the first one written on a tie.
  auto mix = LinkMix::parse("adsl:1,cable:1,fibre:1", builtin_profiles());
  ASSERT_TRUE(mix);
  Rng rng(3);
  auto counts = tally(mix->assign(7, rng));
  EXPECT_EQ(counts["adsl"], 3u);
  EXPECT_EQ(counts["cable"], 2u);
  EXPECT_EQ(counts["fibre"], 2u);
  // 5 nodes of 50:50 -> 3 and 2, and never more nodes than asked.
  auto half = LinkMix::parse("adsl:50,fibre:50", builtin_profiles());
  EXPECT_EQ(half->assign(5, rng).size(), 5u);
}

TEST(LinkMixTest, ShufflesTheOrderButReplaysItFromTheSeed) {
  auto mix = LinkMix::parse("adsl:50,fibre:50", builtin_profiles());
  Rng a(42), b(42), c(43);
  auto first = mix->assign(20, a);
  EXPECT_EQ(first, mix->assign(20, b));
  EXPECT_NE(first, mix->assign(20, c));
  // Shuffled: the ten adsl nodes are not simply the first ten.
  EXPECT_FALSE(std::all_of(first.begin(), first.begin() + 10, [](auto& n) { return n == "adsl"; }));
}

TEST(LinkMixTest, DrawsSpawnedNodesByWeight) {
  auto mix = LinkMix::parse("adsl:90,fibre:10", builtin_profiles());
  Rng rng(5);
  std::size_t adsl = 0;
  for (int i = 0; i < 2000; ++i) adsl += mix->draw(rng) == "adsl";
  EXPECT_NEAR(static_cast<double>(adsl) / 2000, 0.9, 0.03);
}

TEST(LinkMixTest, ASingleNameIsTheWholeMix) {
  auto mix = LinkMix::parse("cable", builtin_profiles());
  ASSERT_TRUE(mix);
  Rng rng(1);
  EXPECT_EQ(tally(mix->assign(4, rng))["cable"], 4u);
}

TEST(LinkMixTest, RefusesUnknownProfilesAndBadWeights) {
  EXPECT_FALSE(LinkMix::parse("modem:10", builtin_profiles()));
  EXPECT_FALSE(LinkMix::parse("adsl:0", builtin_profiles()));
  EXPECT_FALSE(LinkMix::parse("adsl:x", builtin_profiles()));
  EXPECT_FALSE(LinkMix::parse("adsl,,fibre", builtin_profiles()));
  EXPECT_TRUE(LinkMix::parse("", builtin_profiles())->empty());
}

}  // namespace
}  // namespace p2p::labs
