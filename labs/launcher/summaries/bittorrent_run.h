// A BitTorrent run as its summaries read it: when the launcher ran each node, and what each peer reported.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "labs/launcher/summaries/node_runs.h"

namespace p2p::labs::bt {

using labs::LaunchedNode;
using labs::Uptime;

// One `piece_done` event: a piece stored, the pieces held then, the seconds since the peer started, and the
// payload bytes received so far from peers that were seeds and from leechers (absent from older runs).
struct PieceDone {
  double t = 0;
  std::uint32_t piece = 0;
  double have = 0;
  double pieces = 0;
  double seconds = 0;
  std::optional<double> from_seeds = std::nullopt;
  std::optional<double> from_leechers = std::nullopt;
};

// One event of a bt-dht node (bittorrent/dht/dht_core.h): `dht_started` or `lookup_done`.
struct DhtEvent {
  double t = 0;
  const nlohmann::json* data = nullptr;
};

// A `resumed` event: a restarted peer found `have` verified pieces in its storage.
struct Resume {
  double t = 0;
  double have = 0;
};

// What a node says about itself: its completion, its resumes, its stored pieces in order, its lookups (a
// bt-dht node) and its last status.
struct PeerReport {
  bool tracker = false;
  bool dht = false;                           // a bt-dht node (role "dht"), not a peer of the swarm
  const nlohmann::json* completed = nullptr;  // data of its first `completed` event...
  double completed_at = 0;                    // ...and when it was sent
  std::vector<Resume> resumes;
  std::vector<PieceDone> pieces;
  std::vector<DhtEvent> dht_starts;  // each start of a bt-dht node, with its id then
  std::vector<DhtEvent> lookups;
  const nlohmann::json* status = nullptr;  // its last status's `sys`
};

struct Run {
  NodeRuns launched;
  std::map<std::string, PeerReport> peers;
  double start = 0;  // lab_started, or the first record
  double end = 0;    // lab_ended, or the last record
};

// Reads schema v1 records (every event, then each node's last status). Records that lack a field or carry the
// wrong type are skipped, never thrown on.
Run read_run(const std::vector<nlohmann::json>& records);

// Whether a node is one of the swarm's peers: neither the tracker nor a bt-dht node.
bool in_swarm(const LaunchedNode& launched, const PeerReport& peer);

// A peer complete from its start (its last status says it completed 0 s after it started) that never
// reported `completed`.
bool is_seed(const PeerReport& peer);

}  // namespace p2p::labs::bt
