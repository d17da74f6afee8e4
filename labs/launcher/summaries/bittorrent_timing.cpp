// Timing figures of the BitTorrent labs: the first piece, the last 5 %, free riders' slowdown, completions.
#include "labs/launcher/summaries/bittorrent_timing.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "common/telemetry/fields.h"
#include "common/util/median.h"
#include "labs/launcher/summaries/figures.h"

namespace p2p::labs::bt {
namespace {

using nlohmann::json;
using telemetry::bool_at;
using telemetry::number_at;

// Seconds from the peer's start to the end of the run: how long it waited at least, for what never came.
double waited(const LaunchedNode& launched, const Run& run) {
  return launched.runs.empty() ? 0 : run.end - launched.runs.front().from;
}

std::optional<double> download_time(const PeerReport& peer) {
  return peer.completed == nullptr ? std::nullopt : number_at(*peer.completed, "seconds");
}

std::optional<double> first_piece(const PeerReport& peer) {
  if (peer.pieces.empty()) return std::nullopt;
  return peer.pieces.front().seconds;
}

// From the first piece_done that reaches kTailFrom of the pieces to the completion.
std::optional<double> tail(const PeerReport& peer) {
  auto done = download_time(peer);
  if (!done) return std::nullopt;
  for (const PieceDone& piece : peer.pieces) {
    if (piece.have >= std::ceil(kTailFrom * piece.pieces)) return *done - piece.seconds;
  }
  return std::nullopt;
}

// completed_at: when each leecher that completed sent it, in the records' clock.
json completed_timeline(const Run& run, std::vector<double> completed_at) {
  std::ranges::sort(completed_at);
  json timeline = json::array();
  for (std::size_t k = 0; run.start + static_cast<double>(k) * kTimelineStep <= run.end; ++k) {
    double at = static_cast<double>(k) * kTimelineStep;
    auto done = std::ranges::upper_bound(completed_at, run.start + at) - completed_at.begin();
    timeline.push_back({at, done});
  }
  return timeline;
}

json ratio_of_medians(std::vector<double> part, std::vector<double> whole) {
  std::optional<double> top = median(std::move(part)), bottom = median(std::move(whole));
  return top && bottom && *bottom > 0 ? json(*top / *bottom) : json(nullptr);
}

}  // namespace

TimingFigures timing_figures(const Run& run) {
  static const PeerReport kSilent;
  std::vector<double> first_pieces, tails, free_riders, contributors, completed_at;
  for (const auto& [node, launched] : run.launched) {
    auto it = run.peers.find(node);
    const PeerReport& peer = it == run.peers.end() ? kSilent : it->second;
    if (!in_swarm(launched, peer) || is_seed(peer)) continue;
    first_pieces.push_back(first_piece(peer).value_or(waited(launched, run)));
    if (auto seconds = tail(peer)) tails.push_back(*seconds);
    if (peer.completed != nullptr) completed_at.push_back(peer.completed_at);
    bool free_rider = peer.status != nullptr && bool_at(*peer.status, "free_rider") == true;
    (free_rider ? free_riders : contributors).push_back(download_time(peer).value_or(waited(launched, run)));
  }
  return {.first_piece_s_median = median_or_null(std::move(first_pieces)),
          .tail_95_100_s = median_or_null(std::move(tails)),
          .free_rider_slowdown = ratio_of_medians(std::move(free_riders), std::move(contributors)),
          .completed_timeline = completed_timeline(run, std::move(completed_at))};
}

}  // namespace p2p::labs::bt
