// CoolStreaming's lab summariser: each peer's last status and its join and playback events, then the lab's
// means, medians and ratios.
#include "labs/launcher/summaries/coolstreaming.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/telemetry/fields.h"
#include "labs/launcher/summaries/figures.h"
#include "labs/launcher/summaries/node_runs.h"

namespace p2p::labs {
namespace {

using nlohmann::json;

using telemetry::data_of;
using telemetry::field_at;
using telemetry::number_at;
using telemetry::string_at;

// What one peer reported.
struct PeerReport {
  const json* status = nullptr;     // its last status's `sys`
  std::vector<double> startups_ms;  // from its `playing` events
  double join_attempts = 0;
};

json ratio(double part, double whole) {
  return whole > 0 ? json(part / whole) : json(nullptr);
}

std::map<std::string, PeerReport> read_peers(const std::vector<json>& records) {
  std::map<std::string, PeerReport> peers;
  for (const json& record : records) {
    if (!record.is_object() || string_at(record, "system") != "coolstreaming" ||
        string_at(record, "role") != "peer") {
      continue;
    }
    PeerReport& peer = peers[string_at(record, "node")];
    if (string_at(record, "kind") == "status") {
      const json* sys = field_at(record, "sys");
      if (sys == nullptr || !sys->is_object()) continue;
      peer.status = sys;
      peer.join_attempts = std::max(peer.join_attempts, number_at(*sys, "join_attempts").value_or(0));
      continue;
    }
    std::string event = string_at(record, "event");
    const json& data = data_of(record);
    if (event == "playing") {
      if (auto startup = number_at(data, "startup_ms")) peer.startups_ms.push_back(*startup);
    } else if (event == "joined") {
      peer.join_attempts = std::max(peer.join_attempts, number_at(data, "attempts").value_or(0));
    } else if (event == "join_refused") {
      peer.join_attempts = std::max(peer.join_attempts, number_at(data, "attempt").value_or(0));
    }
  }
  return peers;
}

// After SIGKILLs: the peers alive at the end and the continuity they kept, from their last statuses.
json survivor_continuity(const std::vector<json>& records, const std::map<std::string, PeerReport>& peers) {
  NodeRuns nodes = read_node_runs(records);
  if (!any_killed(nodes)) return json::object();
  std::vector<std::string> alive = survivors(nodes, "peer");
  std::vector<double> continuity;
  for (const std::string& node : alive) {
    auto peer = peers.find(node);
    if (peer == peers.end() || peer->second.status == nullptr) continue;
    if (auto c = number_at(*peer->second.status, "continuity")) continuity.push_back(*c);
  }
  double sum = 0;
  for (double c : continuity) sum += c;
  return {
      {"survivors", alive.size()},
      {"survivors_playing", continuity.size()},
      {"continuity_survivors_mean", mean_or_null(sum, continuity.size())},
      {"continuity_survivors_min", continuity.empty() ? json(nullptr) : json(std::ranges::min(continuity))}};
}

}  // namespace

json coolstreaming_summary(const std::vector<json>& records) {
  std::map<std::string, PeerReport> peers = read_peers(records);
  std::vector<double> continuity, startup_s, lag_s;
  std::size_t playing = 0, tried = 0, retried = 0;
  double video = 0, control = 0, server = 0;
  for (const auto& [node, peer] : peers) {
    std::optional<double> status_startup;
    if (peer.status != nullptr) {
      const json& sys = *peer.status;
      if (auto c = number_at(sys, "continuity")) continuity.push_back(*c);
      if (auto lag = number_at(sys, "lag_s")) lag_s.push_back(*lag);
      status_startup = number_at(sys, "startup_ms");
      video += number_at(sys, "video_bytes").value_or(0);
      control += number_at(sys, "control_bytes").value_or(0);
      server += number_at(sys, "server_bytes").value_or(0);
    }
    for (double ms : peer.startups_ms) startup_s.push_back(ms / 1000);
    if (peer.startups_ms.empty() && status_startup) startup_s.push_back(*status_startup / 1000);
    if (!peer.startups_ms.empty() || status_startup) ++playing;
    if (peer.join_attempts >= 1) ++tried;
    if (peer.join_attempts > 1) ++retried;
  }
  double continuity_sum = 0;
  for (double c : continuity) continuity_sum += c;
  json metrics = {{"peers", peers.size()},
                  {"peers_playing", playing},
                  {"continuity_mean", mean_or_null(continuity_sum, continuity.size())},
                  {"continuity_audience", mean_or_null(continuity_sum, peers.size())},
                  {"continuity_p10", percentile_or_null(continuity, 0.1)},
                  {"startup_s_median", median_or_null(std::move(startup_s))},
                  {"lag_s_median", median_or_null(std::move(lag_s))},
                  {"control_overhead", ratio(control, video)},
                  {"server_bytes_ratio", ratio(server, video)},
                  {"join_retry_share", ratio(static_cast<double>(retried), static_cast<double>(tried))}};
  metrics.update(survivor_continuity(records, peers));
  return metrics;
}

}  // namespace p2p::labs
