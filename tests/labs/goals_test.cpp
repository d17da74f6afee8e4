// Tests of a lab's goals: reading `goal.METRIC = >= X` and judging a run's metrics against it.
#include "labs/launcher/goals.h"

#include <gtest/gtest.h>

#include "labs/launcher/summary.h"

namespace p2p::labs {
namespace {

using nlohmann::json;

TEST(GoalsTest, ReadsAtLeastAndAtMost) {
  auto least = parse_goal("continuity_mean", " >= 0.99 ");
  ASSERT_TRUE(least) << least.reason();
  EXPECT_TRUE(least->at_least);
  EXPECT_DOUBLE_EQ(least->target, 0.99);
  auto most = parse_goal("control_overhead", "<=0.015");
  ASSERT_TRUE(most) << most.reason();
  EXPECT_FALSE(most->at_least);
  EXPECT_EQ(most->text(), "control_overhead <= 0.015");
  for (const char* bad : {"0.99", "> 0.99", ">= lots", ">="}) {
    auto goal = parse_goal("continuity_mean", bad);
    ASSERT_FALSE(goal) << bad;
    EXPECT_NE(goal.reason().find("goal.continuity_mean"), std::string::npos) << goal.reason();
  }
}

TEST(GoalsTest, AMissedGoalSaysByHowMuch) {
  std::vector<Goal> goals = {*parse_goal("continuity_mean", ">= 0.99"),
                             *parse_goal("control_overhead", "<= 0.015"),
                             *parse_goal("lag_s_median", "<= 30")};
  json verdicts = judge_goals(goals, {{"continuity_mean", 0.97}, {"control_overhead", 0.012}});
  ASSERT_EQ(verdicts.size(), 3u);
  EXPECT_EQ(verdicts[0]["met"], false);
  EXPECT_NEAR(verdicts[0]["missed_by"].get<double>(), 0.02, 1e-12);
  EXPECT_EQ(verdicts[1]["met"], true);
  EXPECT_DOUBLE_EQ(verdicts[1]["missed_by"].get<double>(), 0);
  // A metric the run has no number for (null, or absent) is neither met nor missed.
  EXPECT_TRUE(verdicts[2]["met"].is_null());
  EXPECT_TRUE(verdicts[2]["value"].is_null());
}

TEST(GoalsTest, TheSummaryLinesGiveEachVerdict) {
  json summary = make_summary(RunFacts{}, {{"continuity_mean", 0.97}, {"control_overhead", 0.012}});
  summary["goals"] =
      judge_goals({*parse_goal("continuity_mean", ">= 0.99"), *parse_goal("control_overhead", "<= 0.015"),
                   *parse_goal("lag_s_median", "<= 30")},
                  summary["metrics"]);
  std::string text = format_summary(summary);
  EXPECT_NE(text.find("goal continuity_mean >= 0.99: MISSED by 0.02"), std::string::npos) << text;
  EXPECT_NE(text.find("goal control_overhead <= 0.015: met (0.012)"), std::string::npos) << text;
  EXPECT_NE(text.find("goal lag_s_median <= 30: no figure"), std::string::npos) << text;
}

}  // namespace
}  // namespace p2p::labs
