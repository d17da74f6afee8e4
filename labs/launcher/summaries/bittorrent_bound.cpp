// The distribution time of a BitTorrent run and the lecture's bounds for its file and links.
#include "labs/launcher/summaries/bittorrent_bound.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <string>

#include "common/telemetry/fields.h"
#include "labs/launcher/distribution_bound.h"
#include "labs/launcher/summaries/bittorrent.h"

namespace p2p::labs {
namespace {

using nlohmann::json;

using telemetry::bool_at;
using telemetry::data_of;
using telemetry::field_at;
using telemetry::number_at;
using telemetry::string_at;

constexpr double kUncapped = std::numeric_limits<double>::infinity();

// One node as the launcher started it and as it reported itself.
struct Node {
  bool outside_swarm = false;     // the tracker or a bt-dht node
  std::optional<double> started;  // its first node_started
  double up_bps = kUncapped;
  double down_bps = kUncapped;
  std::optional<double> completed;  // its first completed event
  const json* status = nullptr;     // its last status's `sys`
};

// The tracker's role and a bt-dht node's take no part in the distribution (the launcher's role is the
// scenario's name for it, the records' the core's).
bool outside_swarm(const std::string& role) {
  return role == "tracker" || role == "dht";
}

// A link's rate in bits/s from a node_started event's kbit/s; none or 0 is a node without a cap.
double link_bps(const json& data, const char* field) {
  double kbps = number_at(data, field).value_or(0);
  return kbps > 0 ? kbps * 1000 : kUncapped;
}

std::map<std::string, Node> read_nodes(const std::vector<json>& records) {
  std::map<std::string, Node> nodes;
  for (const json& record : records) {
    auto t = number_at(record, "t");
    if (!t) continue;
    std::string system = string_at(record, "system");
    std::string kind = string_at(record, "kind");
    if (system == "launcher" && kind == "event" && string_at(record, "event") == "node_started") {
      const json& data = data_of(record);
      Node& node = nodes[string_at(data, "node")];
      node.outside_swarm = node.outside_swarm || outside_swarm(string_at(data, "role"));
      if (node.started) continue;
      node.started = *t;
      node.up_bps = link_bps(data, "up_kbps");
      node.down_bps = link_bps(data, "down_kbps");
    } else if (system == "bittorrent") {
      Node& node = nodes[string_at(record, "node")];
      node.outside_swarm = node.outside_swarm || outside_swarm(string_at(record, "role"));
      if (kind == "event" && string_at(record, "event") == "completed" && !node.completed)
        node.completed = *t;
      const json* sys = field_at(record, "sys");
      if (kind == "status" && sys && sys->is_object()) node.status = sys;
    }
  }
  return nodes;
}

// Complete from its start, and never completed during the run.
bool is_seed(const Node& node) {
  return !node.completed && node.status && number_at(*node.status, "completed_s") == std::optional<double>(0);
}

json seconds_or_null(double seconds) {
  return std::isfinite(seconds) && seconds > 0 ? json(seconds) : json(nullptr);
}

}  // namespace

void add_distribution_bound(const std::vector<json>& records, json& metrics) {
  BoundInputs links{.file_bits = 0, .server_up_bps = 0, .peer_up_bps = {}, .min_down_bps = kUncapped};
  std::vector<double> uploads;  // u_i as each leecher really uploads: 0 for a free rider
  std::optional<double> first_start;
  double last_completion = 0;
  bool all_completed = true;
  for (const auto& [name, node] : read_nodes(records)) {
    if (node.outside_swarm || !node.started) continue;
    if (node.status)
      links.file_bits = std::max(links.file_bits, 8 * number_at(*node.status, "size").value_or(0));
    if (is_seed(node)) {
      links.server_up_bps += node.up_bps;
      continue;
    }
    links.peer_up_bps.push_back(node.up_bps);
    bool free_rider = node.status && bool_at(*node.status, "free_rider") == true;
    uploads.push_back(free_rider ? 0 : node.up_bps);
    links.min_down_bps = std::min(links.min_down_bps, node.down_bps);
    first_start = std::min(first_start.value_or(*node.started), *node.started);
    all_completed = all_completed && node.completed;
    last_completion = std::max(last_completion, node.completed.value_or(0));
  }

  bool measurable = !links.peer_up_bps.empty() && links.file_bits > 0 && links.server_up_bps > 0;
  double client_server = measurable ? client_server_bound_s(links) : 0;
  double p2p = measurable ? p2p_bound_s(links) : 0;
  links.peer_up_bps = uploads;
  double bound = measurable ? p2p_bound_s(links) : 0;
  double time = all_completed && first_start ? last_completion - *first_start : 0;

  metrics["distribution_time_s"] = seconds_or_null(time);
  metrics["bound_client_server_s"] = seconds_or_null(client_server);
  metrics["bound_p2p_s"] = seconds_or_null(p2p);
  metrics["bound_s"] = seconds_or_null(bound);
  metrics["bound_ratio"] = time > 0 && std::isfinite(bound) && bound > 0 ? json(time / bound) : json(nullptr);
}

json bittorrent_summary_with_bound(const std::vector<json>& records) {
  json metrics = bittorrent_summary(records);
  add_distribution_bound(records, metrics);
  return metrics;
}

}  // namespace p2p::labs
