// Tests of `p2plab report --against`: two runs' metrics side by side and the KaZaA lab's overhead goal.
#include "labs/launcher/comparison.h"

#include <gtest/gtest.h>

namespace p2p::labs {
namespace {

using nlohmann::json;

json summary(const std::string& system, const std::string& out, json metrics) {
  return {{"system", system}, {"out", out}, {"metrics", std::move(metrics)}};
}

TEST(ComparisonTest, PairsOnlyTheMetricsBothRunsHaveAsNumbers) {
  json kazaa = {{"messages_per_query_mean", 40},
                {"hit_ratio", 0.9},
                {"supernodes", 8},
                {"queries", 0},
                {"latency_ms_median", nullptr}};
  json gnutella = {{"messages_per_query_mean", 800},
                   {"hit_ratio", 0.85},
                   {"reach_mean", 199},
                   {"queries", 240},
                   {"latency_ms_median", 30}};
  std::vector<MetricPair> pairs = pair_metrics(kazaa, gnutella);
  ASSERT_EQ(pairs.size(), 3u);  // hit_ratio, messages_per_query_mean, queries; not null, not one-sided
  EXPECT_EQ(pairs[0].name, "hit_ratio");
  EXPECT_DOUBLE_EQ(*pairs[0].ratio, 0.85 / 0.9);
  EXPECT_EQ(pairs[1].name, "messages_per_query_mean");
  EXPECT_DOUBLE_EQ(pairs[1].run, 40);
  EXPECT_DOUBLE_EQ(pairs[1].baseline, 800);
  EXPECT_DOUBLE_EQ(*pairs[1].ratio, 20);
  EXPECT_EQ(pairs[2].name, "queries");
  EXPECT_FALSE(pairs[2].ratio);  // nothing to divide by
}

TEST(ComparisonTest, TheGoalNeedsTenTimesFewerMessagesAndNoWorseHitRatio) {
  json gnutella = {{"messages_per_query_mean", 800}, {"hit_ratio", 0.85}};
  auto met = overhead_verdict({{"messages_per_query_mean", 80}, {"hit_ratio", 0.85}}, gnutella);
  ASSERT_TRUE(met);
  EXPECT_DOUBLE_EQ(met->fewer, 10);
  EXPECT_TRUE(met->met());
  // 9x fewer is not enough; 20x fewer with fewer hits is not either.
  EXPECT_FALSE(overhead_verdict({{"messages_per_query_mean", 90}, {"hit_ratio", 0.9}}, gnutella)->met());
  auto worse = overhead_verdict({{"messages_per_query_mean", 40}, {"hit_ratio", 0.8}}, gnutella);
  EXPECT_FALSE(worse->hit_ratio_held);
  EXPECT_FALSE(worse->met());
  // Without both figures on both sides, or with no message at all, there is no verdict.
  EXPECT_FALSE(overhead_verdict({{"hit_ratio", 0.9}}, gnutella));
  EXPECT_FALSE(overhead_verdict({{"messages_per_query_mean", 0}, {"hit_ratio", 0.9}}, gnutella));
  EXPECT_FALSE(overhead_verdict({{"messages_per_query_mean", 40}, {"hit_ratio", nullptr}}, gnutella));
}

TEST(ComparisonTest, TextPutsBothRunsSideBySideWithTheRatioAndTheVerdict) {
  std::string text = comparison_text(
      summary("kazaa", "runs/overhead-1", {{"messages_per_query_mean", 38.5}, {"hit_ratio", 0.92}}),
      summary("gnutella", "runs/flood-1", {{"messages_per_query_mean", 1540}, {"hit_ratio", 0.9}}));
  EXPECT_NE(text.find("run kazaa (runs/overhead-1) against gnutella (runs/flood-1)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("metric                   kazaa       gnutella    gnutella/kazaa"), std::string::npos)
      << text;
  EXPECT_NE(text.find("messages_per_query_mean  38.5        1540        40x"), std::string::npos) << text;
  EXPECT_NE(text.find("hit_ratio                0.92        0.9         0.9783x"), std::string::npos) << text;
  EXPECT_NE(text.find("per query at an equal or better hit ratio: met (40x fewer, hit ratio 0.92 >= 0.9)"),
            std::string::npos)
      << text;
}

TEST(ComparisonTest, TextSaysWhenTheRunsShareNothing) {
  std::string text = comparison_text(summary("napster", "a", {{"search_success_before", 1}}),
                                     summary("bittorrent", "b", {{"leechers", 30}}));
  EXPECT_NE(text.find("no metric in common"), std::string::npos) << text;
  EXPECT_EQ(text.find("goal"), std::string::npos) << text;
  EXPECT_NE(comparison_text(json("garbage"), json::object()).find("no metric in common"), std::string::npos);
}

}  // namespace
}  // namespace p2p::labs
