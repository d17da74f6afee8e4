// Reading the launcher's node events into each node's runs.
#include "labs/launcher/summaries/node_runs.h"

#include <algorithm>

#include "common/telemetry/fields.h"

namespace p2p::labs {

using nlohmann::json;
using telemetry::number_at;
using telemetry::string_at;

bool LaunchedNode::up_at(double t) const {
  return std::ranges::any_of(runs, [t](const Uptime& up) { return up.from <= t && (!up.to || t < *up.to); });
}

bool LaunchedNode::up_through(double from, double to) const {
  return std::ranges::any_of(runs,
                             [&](const Uptime& up) { return up.from <= from && (!up.to || to <= *up.to); });
}

void note_launcher_event(NodeRuns& nodes, double t, const std::string& name, const json& data) {
  std::string node = string_at(data, "node");
  if (node.empty()) return;
  if (name == "node_started" || name == "node_restarted") {
    LaunchedNode& launched = nodes[node];
    launched.role = string_at(data, "role");
    launched.runs.push_back({t, std::nullopt});
    launched.up_bytes_per_s = number_at(data, "up_kbps").value_or(0) * 1000 / 8;
  } else if (name == "node_exited" || name == "node_killed" || name == "node_left") {
    auto it = nodes.find(node);
    if (it == nodes.end() || it->second.runs.empty() || it->second.runs.back().to) return;
    it->second.runs.back().to = t;
    it->second.runs.back().killed = name == "node_killed";
  }
}

bool any_killed(const NodeRuns& nodes) {
  return std::ranges::any_of(
      nodes, [](const auto& entry) { return std::ranges::any_of(entry.second.runs, &Uptime::killed); });
}

std::vector<std::string> survivors(const NodeRuns& nodes, const std::string& role) {
  std::vector<std::string> ids;
  for (const auto& [id, launched] : nodes) {
    if (launched.role == role && !launched.killed_for_good()) ids.push_back(id);
  }
  return ids;
}

NodeRuns read_node_runs(const std::vector<json>& records) {
  NodeRuns nodes;
  for (const json& record : records) {
    auto t = number_at(record, "t");
    if (!t || string_at(record, "system") != "launcher" || string_at(record, "kind") != "event") continue;
    note_launcher_event(nodes, *t, string_at(record, "event"), telemetry::data_of(record));
  }
  return nodes;
}

}  // namespace p2p::labs
