// BitTorrent's lab summariser: who is a leecher, when each finished, whose bytes it got, and how much of the
// swarm's upload capacity the crowd put to work.
#include "labs/launcher/summaries/bittorrent.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "common/telemetry/fields.h"
#include "common/util/median.h"

namespace p2p::labs {
namespace {

using nlohmann::json;

using telemetry::bool_at;
using telemetry::data_of;
using telemetry::field_at;
using telemetry::number_at;
using telemetry::string_at;

// One run of a node's process, as the launcher saw it.
struct Uptime {
  double from;
  std::optional<double> to;
};

// What the launcher says about a node: when it ran, and its link's upload in bytes per second.
struct LaunchedNode {
  std::string role;  // the scenario's role
  std::vector<Uptime> runs;
  double up_bytes_per_s = 0;
};

// What a peer says about itself: its completion and its last status.
struct PeerReport {
  bool tracker = false;
  const json* completed = nullptr;  // data of its first `completed` event...
  double completed_at = 0;          // ...and when it was sent
  const json* status = nullptr;     // its last status's `sys`
};

struct Run {
  std::map<std::string, LaunchedNode> launched;
  std::map<std::string, PeerReport> peers;
  double end = 0;  // lab_ended, or the last record
};

void launcher_event(Run& run, double t, const std::string& name, const json& data) {
  std::string node = string_at(data, "node");
  if (name == "lab_ended") run.end = t;
  if (node.empty()) return;
  if (name == "node_started" || name == "node_restarted") {
    LaunchedNode& launched = run.launched[node];
    launched.role = string_at(data, "role");
    launched.runs.push_back({t, std::nullopt});
    launched.up_bytes_per_s = number_at(data, "up_kbps").value_or(0) * 1000 / 8;
  } else if (name == "node_exited" || name == "node_killed" || name == "node_left") {
    auto it = run.launched.find(node);
    if (it != run.launched.end() && !it->second.runs.empty() && !it->second.runs.back().to)
      it->second.runs.back().to = t;
  }
}

Run read_run(const std::vector<json>& records) {
  Run run;
  double last = 0;
  for (const json& record : records) {
    auto t = number_at(record, "t");
    if (!t) continue;
    last = std::max(last, *t);
    std::string system = string_at(record, "system");
    std::string kind = string_at(record, "kind");
    if (system == "launcher" && kind == "event") {
      launcher_event(run, *t, string_at(record, "event"), data_of(record));
      continue;
    }
    if (system != "bittorrent") continue;
    PeerReport& peer = run.peers[string_at(record, "node")];
    peer.tracker = peer.tracker || string_at(record, "role") == "tracker";
    if (kind == "event" && string_at(record, "event") == "completed" && peer.completed == nullptr) {
      peer.completed = &data_of(record);
      peer.completed_at = *t;
    } else if (const json* sys = field_at(record, "sys"); kind == "status" && sys && sys->is_object()) {
      peer.status = sys;
    }
  }
  if (run.end == 0) run.end = last;
  return run;
}

bool is_seed(const PeerReport& peer) {
  return peer.completed == nullptr && peer.status != nullptr &&
         number_at(*peer.status, "completed_s") == std::optional<double>(0);
}

// A leecher's byte counter: the last status is the newest; the completed event (where the counter may have
// another name) stands in without one.
double counter(const PeerReport& peer, const char* field, const char* completed_field) {
  if (peer.status != nullptr) {
    if (auto value = number_at(*peer.status, field)) return *value;
  }
  if (peer.completed != nullptr) return number_at(*peer.completed, completed_field).value_or(0);
  return 0;
}

json spread(const std::vector<double>& values) {
  if (values.empty()) return {{"min", nullptr}, {"median", nullptr}, {"max", nullptr}};
  auto [min, max] = std::ranges::minmax(values);
  return {{"min", min}, {"median", *median(values)}, {"max", max}};
}

json ratio(double part, double whole) {
  return whole > 0 ? json(part / whole) : json(nullptr);
}

}  // namespace

json bittorrent_summary(const std::vector<json>& records) {
  Run run = read_run(records);
  static const PeerReport kSilent;
  auto report_of = [&](const std::string& node) -> const PeerReport& {
    auto it = run.peers.find(node);
    return it == run.peers.end() ? kSilent : it->second;
  };

  // Sort the launched nodes into leechers and peers that upload (seeds and leechers alike).
  std::vector<std::string> leechers, uploaders;
  std::size_t seeds = 0;
  for (const auto& [node, launched] : run.launched) {
    const PeerReport& peer = report_of(node);
    if (peer.tracker || launched.role == "tracker") continue;
    uploaders.push_back(node);
    if (is_seed(peer)) {
      ++seeds;
    } else {
      leechers.push_back(node);
    }
  }

  std::vector<double> times;
  std::size_t completed = 0, corrupt = 0, checked = 0;
  double from_seeds = 0, from_all = 0, downloaded = 0;
  std::optional<double> phase_start;
  double last_completion = 0;
  for (const std::string& node : leechers) {
    const PeerReport& peer = report_of(node);
    const LaunchedNode& launched = run.launched.at(node);
    if (!launched.runs.empty())
      phase_start = std::min(phase_start.value_or(launched.runs.front().from), launched.runs.front().from);
    double seeds_bytes = counter(peer, "from_seeds", "from_seeds");
    from_seeds += seeds_bytes;
    from_all += seeds_bytes + counter(peer, "from_leechers", "from_leechers");
    downloaded += counter(peer, "downloaded", "bytes");
    if (peer.completed == nullptr) continue;
    const json& done = *peer.completed;
    ++completed;
    if (auto seconds = number_at(done, "seconds")) times.push_back(*seconds);
    last_completion = std::max(last_completion, peer.completed_at);
    std::optional<bool> content_ok = bool_at(done, "content_ok");
    checked += content_ok ? 1 : 0;
    if (content_ok == false || bool_at(done, "verified") == false) ++corrupt;
  }

  // The download phase, and every uploader's capacity within it.
  double phase_end = completed == leechers.size() && completed > 0 ? last_completion : run.end;
  double phase = phase_start ? std::max(0.0, phase_end - *phase_start) : 0;
  double capacity = 0;
  for (const std::string& node : uploaders) {
    const LaunchedNode& launched = run.launched.at(node);
    for (const Uptime& up : launched.runs) {
      double from = std::max(up.from, phase_start.value_or(phase_end));
      double to = std::min(up.to.value_or(run.end), phase_end);
      if (to > from) capacity += (to - from) * launched.up_bytes_per_s;
    }
  }

  return {{"leechers", leechers.size()},
          {"completed", completed},
          {"download_time_s", spread(times)},
          {"corrupt_files", corrupt},
          {"content_checked", checked},
          {"bytes_from_seeds_ratio", ratio(from_seeds, from_all)},
          {"upload_utilisation", ratio(downloaded, capacity)},
          {"download_phase_s", phase},
          {"seeds", seeds}};
}

}  // namespace p2p::labs
