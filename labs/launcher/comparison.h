// Two runs side by side: `p2plab report DIR --against BASELINE` puts a run's metrics beside another run's,
// of the same system or another, on the metric names both summaries share.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace p2p::labs {

// One metric of both runs. `ratio` is baseline / run (null when the run's value is 0): for a cost such as
// messages per query, how many times fewer the run needed.
struct MetricPair {
  std::string name;
  double run = 0;
  double baseline = 0;
  std::optional<double> ratio;
};

// The metrics that are numbers in both `metrics` objects (summary.json's), in name order.
std::vector<MetricPair> pair_metrics(const nlohmann::json& run, const nlohmann::json& baseline);

// The overhead goal of the KaZaA lab (issue 13, labs/04-kazaa): against the Gnutella flood on the same
// workload, at least kOverheadGoalFactor times fewer messages per query at an equal or better hit ratio.
// It reads the summaries' messages_per_query_mean and hit_ratio.
inline constexpr double kOverheadGoalFactor = 10;

struct OverheadVerdict {
  double fewer = 0;  // baseline messages per query / the run's
  bool hit_ratio_held = false;
  bool met() const { return fewer >= kOverheadGoalFactor && hit_ratio_held; }
};

// The verdict, or none when either run lacks one of the two figures (or the run sent no message at all).
std::optional<OverheadVerdict> overhead_verdict(const nlohmann::json& run, const nlohmann::json& baseline);

// What `report --against` prints from two summary.json objects: a table of the paired metrics, headed by
// each run's system and folder, then the goal's verdict where both runs have its figures.
std::string comparison_text(const nlohmann::json& run_summary, const nlohmann::json& baseline_summary);

}  // namespace p2p::labs
