// Reading a BitTorrent run's records: the launcher's node events and each peer's own events and status.
#include "labs/launcher/summaries/bittorrent_run.h"

#include <algorithm>
#include <optional>

#include "common/telemetry/fields.h"

namespace p2p::labs::bt {
namespace {

using nlohmann::json;

using telemetry::data_of;
using telemetry::field_at;
using telemetry::number_at;
using telemetry::string_at;

void launcher_event(Run& run, double t, const std::string& name, const json& data) {
  if (name == "lab_started") run.start = t;
  if (name == "lab_ended") run.end = t;
  note_launcher_event(run.launched, t, name, data);
}

void peer_event(PeerReport& peer, double t, const std::string& name, const json& data) {
  if (name == "completed" && peer.completed == nullptr) {
    peer.completed = &data;
    peer.completed_at = t;
  } else if (name == "resumed") {
    if (auto have = number_at(data, "have")) peer.resumes.push_back({t, *have});
  } else if (name == "lookup_done") {
    peer.lookups.push_back({t, &data});
  } else if (name == "dht_started") {
    peer.dht_starts.push_back({t, &data});
  } else if (name == "piece_done") {
    auto piece = number_at(data, "piece");
    auto have = number_at(data, "have");
    auto pieces = number_at(data, "pieces");
    auto seconds = number_at(data, "seconds");
    if (!piece || *piece < 0 || !have || !pieces || !seconds) return;
    peer.pieces.push_back({t, static_cast<std::uint32_t>(*piece), *have, *pieces, *seconds,
                           number_at(data, "from_seeds"), number_at(data, "from_leechers")});
  }
}

}  // namespace

Run read_run(const std::vector<json>& records) {
  Run run;
  std::optional<double> first;
  double last = 0;
  for (const json& record : records) {
    auto t = number_at(record, "t");
    if (!t) continue;
    first = std::min(first.value_or(*t), *t);
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
    peer.dht = peer.dht || string_at(record, "role") == "dht";
    if (kind == "event") {
      peer_event(peer, *t, string_at(record, "event"), data_of(record));
    } else if (const json* sys = field_at(record, "sys"); kind == "status" && sys && sys->is_object()) {
      peer.status = sys;
    }
  }
  if (run.start == 0) run.start = first.value_or(0);
  if (run.end == 0) run.end = last;
  for (auto& [node, peer] : run.peers) std::ranges::stable_sort(peer.pieces, {}, &PieceDone::t);
  return run;
}

bool in_swarm(const LaunchedNode& launched, const PeerReport& peer) {
  return launched.role != "tracker" && !peer.tracker && !peer.dht;
}

bool is_seed(const PeerReport& peer) {
  return peer.completed == nullptr && peer.status != nullptr &&
         number_at(*peer.status, "completed_s") == std::optional<double>(0);
}

}  // namespace p2p::labs::bt
