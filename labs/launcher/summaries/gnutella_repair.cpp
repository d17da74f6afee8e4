// Gnutella's overlay-repair figures: each survivor's degree when the lab ends.
#include "labs/launcher/summaries/gnutella_repair.h"

#include <algorithm>
#include <limits>
#include <map>
#include <string>

#include "common/telemetry/fields.h"
#include "labs/launcher/summaries/figures.h"
#include "labs/launcher/summaries/node_runs.h"

namespace p2p::labs {

using nlohmann::json;
using telemetry::data_of;
using telemetry::number_at;
using telemetry::string_at;

json gnutella_repair_figures(const std::vector<json>& records) {
  NodeRuns nodes = read_node_runs(records);
  if (!any_killed(nodes)) return json::object();
  double teardown = std::numeric_limits<double>::infinity();
  for (const json& record : records) {
    if (string_at(record, "system") == "launcher" && string_at(record, "event") == "lab_ending")
      teardown = std::min(teardown, number_at(record, "t").value_or(teardown));
  }
  std::map<std::string, double> degree;  // the servent's neighbours after its last change before teardown
  for (const json& record : records) {
    auto t = number_at(record, "t");
    std::string event = string_at(record, "event");
    if (!t || *t >= teardown || string_at(record, "system") != "gnutella" ||
        (event != "neighbour_up" && event != "neighbour_down"))
      continue;
    if (auto n = number_at(data_of(record), "neighbours")) degree[string_at(record, "node")] = *n;
  }
  std::vector<std::string> alive = survivors(nodes, "servent");
  std::size_t isolated = 0;
  double sum = 0;
  for (const std::string& node : alive) {
    double n = degree.contains(node) ? degree.at(node) : 0;
    isolated += n == 0 ? 1 : 0;
    sum += n;
  }
  return {{"survivors", alive.size()},
          {"survivors_isolated", isolated},
          {"survivor_neighbours_mean", mean_or_null(sum, alive.size())}};
}

}  // namespace p2p::labs
