// The swarm's piece availability over time, rebuilt from every peer's starting bitfield and piece_done
// events.
#include "labs/launcher/summaries/bittorrent_availability.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <optional>
#include <vector>

#include "common/telemetry/fields.h"
#include "common/util/encoding.h"
#include "labs/launcher/summaries/figures.h"

namespace p2p::labs::bt {
namespace {

using nlohmann::json;

// A set of pieces, 64 to a word.
struct Pieces {
  std::vector<std::uint64_t> words;

  explicit Pieces(std::size_t count) : words((count + 63) / 64, 0) {}
  void add(std::size_t piece) { words[piece / 64] |= std::uint64_t{1} << (piece % 64); }
  void remove(std::size_t piece) { words[piece / 64] &= ~(std::uint64_t{1} << (piece % 64)); }
  bool has(std::size_t piece) const { return (words[piece / 64] >> (piece % 64) & 1) != 0; }
  std::size_t count() const {
    std::size_t n = 0;
    for (std::uint64_t word : words) n += static_cast<std::size_t>(std::popcount(word));
    return n;
  }
  // Holds a piece that `other` lacks: `other` is interested in us.
  bool has_any_missing_from(const Pieces& other) const {
    for (std::size_t i = 0; i < words.size(); ++i) {
      if ((words[i] & ~other.words[i]) != 0) return true;
    }
    return false;
  }
};

// One peer followed through time: what it holds now, and its next piece_done event.
struct Track {
  const LaunchedNode* launched;
  const PeerReport* report;
  Pieces held;
  std::size_t next = 0;

  void advance_to(double t, std::size_t piece_count) {
    for (; next < report->pieces.size() && report->pieces[next].t <= t; ++next) {
      if (report->pieces[next].piece < piece_count) held.add(report->pieces[next].piece);
    }
  }
};

std::size_t piece_count_of(const Run& run) {
  double count = 0;
  for (const auto& [node, peer] : run.peers) {
    if (peer.status != nullptr)
      count = std::max(count, telemetry::number_at(*peer.status, "pieces").value_or(0));
    for (const PieceDone& done : peer.pieces) count = std::max(count, done.pieces);
  }
  return static_cast<std::size_t>(count);
}

// The pieces a peer held at its start: its last bitfield (BEP 3 order: the high bit of byte 0 is piece 0),
// less the pieces it reported storing since.
Pieces starting_pieces(const PeerReport& peer, std::size_t piece_count) {
  Pieces pieces(piece_count);
  if (peer.status == nullptr) return pieces;
  auto bytes = from_hex(telemetry::string_at(*peer.status, "bitfield"));
  if (!bytes) return pieces;
  for (std::size_t i = 0; i < piece_count && i / 8 < bytes->size(); ++i) {
    if (((*bytes)[i / 8] >> (7 - i % 8) & 1) != 0) pieces.add(i);
  }
  for (const PieceDone& done : peer.pieces) {
    if (done.piece < piece_count) pieces.remove(done.piece);
  }
  return pieces;
}

// pieces_with[c]: how many pieces have c copies among the peers up.
std::vector<std::size_t> copies_histogram(const std::vector<const Track*>& up, std::size_t piece_count) {
  std::vector<std::size_t> pieces_with(up.size() + 1, 0);
  for (std::size_t piece = 0; piece < piece_count; ++piece) {
    std::size_t copies = 0;
    for (const Track* track : up) copies += track->held.has(piece) ? 1 : 0;
    ++pieces_with[copies];
  }
  return pieces_with;
}

std::optional<double> min_copies(const std::vector<std::size_t>& pieces_with, bool anyone_up) {
  if (!anyone_up) return std::nullopt;
  auto fewest = std::ranges::find_if(pieces_with, [](std::size_t pieces) { return pieces > 0; });
  return static_cast<double>(fewest - pieces_with.begin());
}

std::optional<double> entropy(const std::vector<const Track*>& up, std::size_t piece_count) {
  std::size_t pairs = 0, interested = 0;
  std::size_t known = std::min(kPeerSet, up.empty() ? 0 : up.size() - 1);
  for (std::size_t i = 0; i < up.size(); ++i) {
    const Pieces& leecher = up[i]->held;
    if (leecher.count() == piece_count) continue;
    for (std::size_t k = 1; k <= known; ++k) {
      ++pairs;
      interested += up[(i + k) % up.size()]->held.has_any_missing_from(leecher) ? 1 : 0;
    }
  }
  if (pairs == 0) return std::nullopt;
  return static_cast<double>(interested) / static_cast<double>(pairs);
}

void append(json& timeline, double at, std::optional<double> value, double& sum, std::size_t& n) {
  timeline.push_back({at, value ? json(*value) : json(nullptr)});
  if (value) {
    sum += *value;
    ++n;
  }
}

}  // namespace

AvailabilityTimelines availability_timelines(const Run& run, double from, double to) {
  AvailabilityTimelines out;
  std::size_t piece_count = piece_count_of(run);
  if (piece_count == 0) return out;
  std::vector<Track> tracks;
  for (const auto& [node, launched] : run.launched) {
    auto it = run.peers.find(node);
    if (it == run.peers.end() || !in_swarm(launched, it->second)) continue;
    tracks.push_back({&launched, &it->second, starting_pieces(it->second, piece_count), 0});
  }
  double copies_sum = 0, entropy_sum = 0;
  std::size_t copies_n = 0, entropy_n = 0;
  for (std::size_t k = 0; run.start + static_cast<double>(k) * kTimelineStep <= to; ++k) {
    double at = static_cast<double>(k) * kTimelineStep;
    double t = run.start + at;
    if (t < from) continue;
    std::vector<const Track*> up;
    for (Track& track : tracks) {
      track.advance_to(t, piece_count);
      if (track.launched->up_at(t)) up.push_back(&track);
    }
    std::vector<std::size_t> pieces_with = copies_histogram(up, piece_count);
    for (std::size_t copies = 0; copies < pieces_with.size(); ++copies) {
      if (pieces_with[copies] > 0) out.histogram.push_back({at, copies, pieces_with[copies]});
    }
    append(out.min_copies, at, min_copies(pieces_with, !up.empty()), copies_sum, copies_n);
    append(out.entropy, at, entropy(up, piece_count), entropy_sum, entropy_n);
  }
  out.min_copies_mean = mean_or_null(copies_sum, copies_n);
  out.entropy_mean = mean_or_null(entropy_sum, entropy_n);
  return out;
}

}  // namespace p2p::labs::bt
