// A lab's goals: the figures its issue promises ("continuity at least 0.99"), stated in the scenario's
// [goal] section and judged against the run's metrics, so that a run says whether it met each and, where
// it did not, by how much.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/util/expected.h"

namespace p2p::labs {

// `goal.METRIC = >= X` (at least X) or `goal.METRIC = <= X` (at most X), METRIC a name in the summary's
// `metrics`.
struct Goal {
  std::string metric;
  bool at_least = true;
  double target = 0;

  std::string text() const;  // "continuity_mean >= 0.99"
};

// Reads the value of `goal.METRIC`; the error names the key.
Expected<Goal> parse_goal(std::string_view metric, std::string_view text);

// One object per goal, in order: {"goal": text, "metric", "value" (the metric, or null when the run has
// no number for it), "met" (true, false, or null without a value), "missed_by" (how far the value falls
// short of the target, 0 when met, null without a value)}.
nlohmann::json judge_goals(const std::vector<Goal>& goals, const nlohmann::json& metrics);

}  // namespace p2p::labs
