// Completions after the tracker's death, and the peers each discovery mechanism handed out.
#include "labs/launcher/summaries/bittorrent_trackerless.h"

#include <algorithm>
#include <optional>

#include "common/telemetry/fields.h"
#include "labs/launcher/summaries/figures.h"

namespace p2p::labs::bt {
namespace {

using nlohmann::json;
using telemetry::number_at;

// The first moment a tracker's process ended (killed, left or exited), if one did before the run's end.
std::optional<double> tracker_death(const Run& run) {
  std::optional<double> death;
  for (const auto& [node, launched] : run.launched) {
    auto peer = run.peers.find(node);
    bool tracker = launched.role == "tracker" || (peer != run.peers.end() && peer->second.tracker);
    if (!tracker || launched.runs.empty() || !launched.runs.front().to) continue;
    death = std::min(death.value_or(*launched.runs.front().to), *launched.runs.front().to);
  }
  return death;
}

}  // namespace

void add_trackerless_figures(const Run& run, json& metrics) {
  for (const char* field : {"peers_via_pex", "peers_via_dht"}) {
    std::optional<double> sum;
    for (const auto& [node, launched] : run.launched) {
      auto peer = run.peers.find(node);
      if (peer == run.peers.end() || !in_swarm(launched, peer->second) || peer->second.status == nullptr)
        continue;
      if (auto value = number_at(*peer->second.status, field)) sum = sum.value_or(0) + *value;
    }
    metrics[field] = sum ? json(*sum) : json(nullptr);
  }
  std::optional<double> death = tracker_death(run);
  if (!death) return;
  static const PeerReport kSilent;
  std::size_t arrived = 0, completed = 0;
  for (const auto& [node, launched] : run.launched) {
    auto it = run.peers.find(node);
    const PeerReport& peer = it == run.peers.end() ? kSilent : it->second;
    if (!in_swarm(launched, peer) || is_seed(peer) || launched.runs.empty() ||
        launched.runs.front().from < *death)
      continue;
    ++arrived;
    if (peer.completed != nullptr) ++completed;
  }
  metrics["tracker_died_s"] = *death - run.start;
  metrics["arrived_after_tracker_death"] = arrived;
  metrics["completed_after_tracker_death"] = mean_or_null(static_cast<double>(completed), arrived);
}

}  // namespace p2p::labs::bt
