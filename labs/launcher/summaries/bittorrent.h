// BitTorrent's lab summariser: the figures of the flash-crowd lab, from a run's telemetry records.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "labs/launcher/event_plots.h"
#include "labs/launcher/heat_map.h"
#include "labs/launcher/plots.h"
#include "labs/launcher/timeseries.h"

namespace p2p::labs {

// Reads telemetry records (schema v1, common/telemetry/schema.h: every event, then each node's last status)
// and returns the lab's metrics object, the `metrics` of summary.json:
//   leechers               nodes the launcher started that are neither the tracker, a bt-dht node nor a seed
//   completed              leechers that reported a `completed` event
//   download_time_s        {min, median, max} of the completed leechers' `seconds` (from start to the last
//                          piece), nulls when none completed
//   corrupt_files          completions whose file failed a check: the independent one against the original
//                          (`content_ok` false) or the re-hash of every piece (`verified` false)
//   content_checked        completions that carried the independent check at all
//   bytes_from_seeds_ratio share of the leechers' downloaded bytes that came from peers that were seeds then
//                          (the original seed and finished leechers); null before any byte
//   upload_utilisation     bytes the leechers downloaded (each went up someone's line) divided by the upload
//                          capacity of every peer while it was up during the download phase; null without
//                          capacity
//   download_phase_s       that phase: from the first leecher's start to the last completion, or to the
//                          run's end when some leecher never completed
//   seeds                  peers that were complete from their start
//   min_copies_timeline    the copies of the rarest piece among the peers up, every 5 s of the download
//                          phase (in seconds since the run's start), and min_copies_mean its mean;
//                          entropy_timeline and entropy_mean the same for Legout et al.'s entropy
//                          (bittorrent_availability.h defines both)
//   copies_histogram_timeline   the availability histogram at the same samples: [[seconds, copies, pieces
//                          with that many copies], ...] (bittorrent_availability.h, histogram)
//   sources_timeline       the leechers' bytes so far from seeds and from leechers, every 5 s
//                          (bittorrent_sources.h)
//   first_piece_s_median, tail_95_100_s, free_rider_slowdown, completed_timeline   bittorrent_timing.h
//                          defines them
//   peers_via_pex, peers_via_dht, tracker_died_s, arrived_after_tracker_death,
//   completed_after_tracker_death   bittorrent_trackerless.h defines them
//   dht_nodes, log2_nodes, lookups, lookup_hops_median, lookup_messages_median, lookup_success
//                          with bt-dht nodes only: bittorrent_dht.h defines them
// bt-dht nodes (role "dht") are neither leechers nor seeds. A peer's capacity is the up_kbps of its launcher
// `node_started` event (its link); a node without a link counts none. The tracker is any node whose records
// or launcher role say "tracker"; a seed is a peer whose last status says it completed 0 s after it started
// and that never reported `completed`. Records that lack a field or carry the wrong type are skipped, never
// thrown on.
nlohmann::json bittorrent_summary(const std::vector<nlohmann::json>& records);

// `p2plab report`'s plots of the swarm's availability: the summary's min_copies_timeline,
// entropy_timeline and completed_timeline as the series' columns min_copies, entropy and completed (a value
// every 5 s, empty between), and where the bytes came from: sources_timeline as bytes_from_seeds and
// bytes_from_leechers (leechers that left still count, unlike the status counters' sys_ columns). Adds
// bound_pace for the progress plot: the pieces held at the pace of the P2P bound (bound_s), from 0 at the
// run's start to the whole file at bound_s.
std::vector<PlotSpec> bittorrent_plots(TimeSeries& series, const nlohmann::json& summary);

// `p2plab report`'s heat map of the availability histogram (copies_histogram_timeline): x time, y copies,
// colour the pieces with that many copies. In a flash crowd a band at 1 copy (pieces only the seed has)
// shrinks as a band of well-spread pieces climbs with the peers that join.
std::vector<HeatMap> bittorrent_heat_maps(const nlohmann::json& summary);

// `p2plab report`'s plot of every leecher's progress: one point per piece_done event, at its time, at the
// pieces the peer held then, with bound_pace as a dashed line. Each leecher draws a climbing trail; in a
// flash crowd they climb together.
EventPlot bittorrent_progress_plot();

}  // namespace p2p::labs
