// Reading and judging a scenario's goals.
#include "labs/launcher/goals.h"

#include <algorithm>
#include <sstream>

#include "common/telemetry/fields.h"
#include "labs/launcher/text.h"

namespace p2p::labs {

std::string Goal::text() const {
  std::ostringstream out;
  out << metric << (at_least ? " >= " : " <= ") << target;
  return out.str();
}

Expected<Goal> parse_goal(std::string_view metric, std::string_view text) {
  std::string key = "goal." + std::string(metric);
  text = trim(text);
  Goal goal{std::string(metric), true, 0};
  if (metric.empty()) return make_error("goal.: name a metric, as in goal.continuity_mean = >= 0.99");
  if (text.starts_with("<=")) {
    goal.at_least = false;
  } else if (!text.starts_with(">=")) {
    return make_error(key + ": expected '>= X' or '<= X', got '" + std::string(text) + "'");
  }
  auto target = parse_number(text.substr(2), key);
  if (!target) return target.error();
  goal.target = *target;
  return goal;
}

nlohmann::json judge_goals(const std::vector<Goal>& goals, const nlohmann::json& metrics) {
  nlohmann::json verdicts = nlohmann::json::array();
  for (const Goal& goal : goals) {
    nlohmann::json verdict = {{"goal", goal.text()},
                              {"metric", goal.metric},
                              {"value", nullptr},
                              {"met", nullptr},
                              {"missed_by", nullptr}};
    if (auto value = telemetry::number_at(metrics, goal.metric)) {
      double shortfall = goal.at_least ? goal.target - *value : *value - goal.target;
      verdict["value"] = *value;
      verdict["met"] = shortfall <= 0;
      verdict["missed_by"] = std::max(0.0, shortfall);
    }
    verdicts.push_back(std::move(verdict));
  }
  return verdicts;
}

}  // namespace p2p::labs
