// Two runs' metrics side by side, and the KaZaA lab's overhead goal.
#include "labs/launcher/comparison.h"

#include <algorithm>
#include <cstdio>

#include "common/telemetry/fields.h"

namespace p2p::labs {
namespace {

using nlohmann::json;
using telemetry::number_at;
using telemetry::string_at;

const json& metrics_of(const json& summary) {
  static const json empty = json::object();
  const json* metrics = telemetry::field_at(summary, "metrics");
  return metrics != nullptr && metrics->is_object() ? *metrics : empty;
}

// Four significant digits: enough to read a ratio, short enough for a column.
std::string figure(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

std::string padded(std::string text, std::size_t width) {
  text.resize(std::max(width, text.size() + 1), ' ');
  return text;
}

// "kazaa (runs/overhead-20250101-120000)"
std::string describe(const json& summary) {
  return string_at(summary, "system", "?") + " (" + string_at(summary, "out", "?") + ")";
}

}  // namespace

std::vector<MetricPair> pair_metrics(const json& run, const json& baseline) {
  std::vector<MetricPair> pairs;
  if (!run.is_object()) return pairs;
  for (const auto& [name, value] : run.items()) {
    auto baseline_value = number_at(baseline, name);
    if (!value.is_number() || !baseline_value) continue;
    double mine = value.get<double>();
    pairs.push_back({name, mine, *baseline_value,
                     mine != 0 ? std::optional<double>(*baseline_value / mine) : std::nullopt});
  }
  return pairs;  // nlohmann::json keeps object keys sorted
}

std::optional<OverheadVerdict> overhead_verdict(const json& run, const json& baseline) {
  auto messages = number_at(run, "messages_per_query_mean");
  auto baseline_messages = number_at(baseline, "messages_per_query_mean");
  auto hits = number_at(run, "hit_ratio");
  auto baseline_hits = number_at(baseline, "hit_ratio");
  if (!messages || !baseline_messages || !hits || !baseline_hits || *messages <= 0) return std::nullopt;
  return OverheadVerdict{*baseline_messages / *messages, *hits >= *baseline_hits};
}

std::string comparison_text(const json& run_summary, const json& baseline_summary) {
  const json& run = metrics_of(run_summary);
  const json& baseline = metrics_of(baseline_summary);
  std::string run_system = string_at(run_summary, "system", "run");
  std::string baseline_system = string_at(baseline_summary, "system", "baseline");
  std::string text = "run " + describe(run_summary) + " against " + describe(baseline_summary) + "\n";
  std::vector<MetricPair> pairs = pair_metrics(run, baseline);
  if (pairs.empty()) return text + "no metric in common\n";

  std::size_t width = std::string_view("metric").size();
  for (const MetricPair& pair : pairs) width = std::max(width, pair.name.size());
  std::size_t column = std::max<std::size_t>(12, std::max(run_system.size(), baseline_system.size()) + 2);
  text += padded("metric", width + 2) + padded(run_system, column) + padded(baseline_system, column) +
          baseline_system + "/" + run_system + "\n";
  for (const MetricPair& pair : pairs) {
    text += padded(pair.name, width + 2) + padded(figure(pair.run), column) +
            padded(figure(pair.baseline), column) + (pair.ratio ? figure(*pair.ratio) + "x" : "-") + "\n";
  }

  if (auto verdict = overhead_verdict(run, baseline)) {
    text += "goal (issue 13): at least " + figure(kOverheadGoalFactor) +
            "x fewer messages per query at an equal or better hit ratio: " +
            (verdict->met() ? "met" : "NOT met") + " (" + figure(verdict->fewer) + "x fewer, hit ratio " +
            figure(number_at(run, "hit_ratio").value_or(0)) + (verdict->hit_ratio_held ? " >= " : " < ") +
            figure(number_at(baseline, "hit_ratio").value_or(0)) + ")\n";
  }
  return text;
}

}  // namespace p2p::labs
