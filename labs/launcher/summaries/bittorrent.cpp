// BitTorrent's lab summariser: who is a leecher, when each finished, whose bytes it got, and how much of the
// swarm's upload capacity the crowd put to work.
#include "labs/launcher/summaries/bittorrent.h"

#include <algorithm>
#include <optional>
#include <string>

#include "common/telemetry/fields.h"
#include "common/util/median.h"
#include "labs/launcher/summaries/bittorrent_availability.h"
#include "labs/launcher/summaries/bittorrent_chaos.h"
#include "labs/launcher/summaries/bittorrent_dht.h"
#include "labs/launcher/summaries/bittorrent_run.h"
#include "labs/launcher/summaries/bittorrent_sources.h"
#include "labs/launcher/summaries/bittorrent_timing.h"
#include "labs/launcher/summaries/bittorrent_trackerless.h"

namespace p2p::labs {
namespace {

using nlohmann::json;

using telemetry::bool_at;
using telemetry::number_at;

using bt::LaunchedNode;
using bt::PeerReport;
using bt::Run;
using bt::Uptime;

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

// Column `name` of the series: value `index` of each sample of the timeline `timeline` ([[seconds, value...],
// ...]) at its second, empty between samples and for a null or malformed one.
void add_samples(TimeSeries& series, const std::string& name, const json* metrics,
                 const std::string& timeline, std::size_t index) {
  std::vector<double>& column = series.column(name);
  const json* samples = metrics ? telemetry::field_at(*metrics, timeline) : nullptr;
  if (samples == nullptr || !samples->is_array()) return;
  for (const json& sample : *samples) {
    if (!sample.is_array() || sample.size() <= index || !sample[0].is_number() || !sample[index].is_number())
      continue;
    double second = sample[0].get<double>();
    if (second >= 0 && second < static_cast<double>(column.size()))
      column[static_cast<std::size_t>(second)] = sample[index].get<double>();
  }
}

// The pieces of the file: any one sample of the availability histogram counts each piece once.
double piece_count(const json& metrics) {
  const json* histogram = telemetry::field_at(metrics, "copies_histogram_timeline");
  if (histogram == nullptr || !histogram->is_array() || histogram->empty()) return 0;
  double pieces = 0;
  for (const json& cell : *histogram) {
    if (!cell.is_array() || cell.size() != 3 || !cell[0].is_number() || !cell[2].is_number()) continue;
    if (cell[0] != (*histogram)[0][0]) break;
    pieces += cell[2].get<double>();
  }
  return pieces;
}

// bound_pace: the pieces a leecher would hold at the pace of the P2P bound (bound_s, bittorrent_bound.h),
// from none at the run's start to all of them at bound_s. A leecher's trail cannot stay left of it for the
// whole download: if every leecher did, the swarm would beat the bound. (The bound counts from the first
// leecher's start, a second or so into the run.)
void add_bound_pace(TimeSeries& series, const json* metrics) {
  if (metrics == nullptr) return;
  auto bound = telemetry::number_at(*metrics, "bound_s");
  double pieces = piece_count(*metrics);
  if (!bound || *bound <= 0 || pieces <= 0) return;
  std::vector<double>& pace = series.column("bound_pace");
  for (std::size_t second = 0; second < pace.size(); ++second)
    pace[second] = std::min(pieces, pieces * static_cast<double>(second) / *bound);
}

}  // namespace

json bittorrent_summary(const std::vector<json>& records) {
  Run run = bt::read_run(records);
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
    if (!bt::in_swarm(launched, peer)) continue;
    uploaders.push_back(node);
    if (bt::is_seed(peer)) {
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

  bt::AvailabilityTimelines availability =
      bt::availability_timelines(run, phase_start.value_or(phase_end), phase_end);
  bt::TimingFigures timing = bt::timing_figures(run);
  json metrics{{"leechers", leechers.size()},
               {"completed", completed},
               {"download_time_s", spread(times)},
               {"corrupt_files", corrupt},
               {"content_checked", checked},
               {"bytes_from_seeds_ratio", ratio(from_seeds, from_all)},
               {"upload_utilisation", ratio(downloaded, capacity)},
               {"download_phase_s", phase},
               {"seeds", seeds},
               {"min_copies_timeline", std::move(availability.min_copies)},
               {"min_copies_mean", std::move(availability.min_copies_mean)},
               {"entropy_timeline", std::move(availability.entropy)},
               {"entropy_mean", std::move(availability.entropy_mean)},
               {"first_piece_s_median", std::move(timing.first_piece_s_median)},
               {"tail_95_100_s", std::move(timing.tail_95_100_s)},
               {"free_rider_slowdown", std::move(timing.free_rider_slowdown)},
               {"completed_timeline", std::move(timing.completed_timeline)},
               {"copies_histogram_timeline", std::move(availability.histogram)},
               {"sources_timeline", bt::sources_timeline(run)}};
  bt::add_trackerless_figures(run, metrics);
  metrics.update(bt::dht_lookup_figures(run));
  metrics.update(bt::chaos_figures(run, leechers));
  return metrics;
}

std::vector<PlotSpec> bittorrent_plots(TimeSeries& series, const json& summary) {
  const json* metrics = telemetry::field_at(summary, "metrics");
  for (const char* name : {"min_copies", "entropy", "completed"})
    add_samples(series, name, metrics, std::string(name) + "_timeline", 1);
  add_samples(series, "bytes_from_seeds", metrics, "sources_timeline", 1);
  add_samples(series, "bytes_from_leechers", metrics, "sources_timeline", 2);
  add_bound_pace(series, metrics);
  return {{"min_copies",
           "Copies of the rarest piece among the peers up (1: some piece is on one peer only)",
           "copies",
           {"min_copies"},
           {},
           "[0:*]"},
          {"entropy",
           "Entropy (Legout et al. 2006): share of leecher-peer pairs where the leecher wants a piece",
           "share of pairs",
           {"entropy"},
           {},
           "[0:1.05]"},
          {"sources",
           "Bytes the leechers have received so far, from peers that were seeds then and from leechers",
           "bytes",
           {"bytes_from_seeds", "bytes_from_leechers"},
           {},
           "[0:*]"},
          {"completed", "Leechers that have completed the file", "leechers", {"completed"}, {}, "[0:*]"}};
}

std::vector<HeatMap> bittorrent_heat_maps(const json& summary) {
  HeatMap map{
      .file = "availability",
      .title = "Availability histogram: how many pieces have each number of copies among the peers up",
      .ylabel = "copies",
      .cblabel = "pieces",
      .cells = {}};
  const json* metrics = telemetry::field_at(summary, "metrics");
  const json* histogram = metrics ? telemetry::field_at(*metrics, "copies_histogram_timeline") : nullptr;
  if (histogram == nullptr || !histogram->is_array()) return {map};
  for (const json& cell : *histogram) {
    if (!cell.is_array() || cell.size() != 3 || !cell[0].is_number() || !cell[1].is_number_unsigned() ||
        !cell[2].is_number())
      continue;
    map.cells.push_back({cell[0].get<double>(), cell[1].get<int>(), cell[2].get<double>()});
  }
  return {map};
}

EventPlot bittorrent_progress_plot() {
  return {.file = "progress",
          .title = "Each leecher's progress: the pieces it held, one point per piece stored",
          .event = "piece_done",
          .when = "",
          .field = "have",
          .y_scale = 1,
          .ylabel = "pieces held",
          .theory = {"bound_pace"}};
}

}  // namespace p2p::labs
