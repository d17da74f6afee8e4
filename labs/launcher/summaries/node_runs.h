// When the launcher ran each node of a lab, read from its node events: what every system's chaos figures
// (who was killed, who stayed) and BitTorrent's capacity figures build on.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace p2p::labs {

// One run of a node's process, as the launcher saw it.
struct Uptime {
  double from;
  std::optional<double> to;
  bool killed = false;  // a SIGKILL (node_killed) ended it
};

// What the launcher says about a node: when it ran, and its link's upload in bytes per second.
struct LaunchedNode {
  std::string role;  // the scenario's role
  std::vector<Uptime> runs;
  double up_bytes_per_s = 0;

  bool up_at(double t) const;  // within one of its runs (a run without an end lasts to the end of the run)
  // Up through the whole of [from, to], in one run.
  bool up_through(double from, double to) const;
  // Killed and never started again: not one of the lab's survivors.
  bool killed_for_good() const { return !runs.empty() && runs.back().killed; }
};

using NodeRuns = std::map<std::string, LaunchedNode>;

// Applies one launcher event (node_started, node_restarted, node_killed, node_left, node_exited) at `t`.
void note_launcher_event(NodeRuns& nodes, double t, const std::string& name, const nlohmann::json& data);

// Whether the launcher SIGKILLed any node: a chaos run, whose summaries add their survivors' figures.
bool any_killed(const NodeRuns& nodes);
// The nodes of `role` not killed for good, in id order.
std::vector<std::string> survivors(const NodeRuns& nodes, const std::string& role);

// Every node's runs from schema v1 records (the launcher's events; other records are skipped).
NodeRuns read_node_runs(const std::vector<nlohmann::json>& records);

}  // namespace p2p::labs
