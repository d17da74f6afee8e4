// When each leecher got its first piece and its last ones, and how much longer free riders took.
#pragma once

#include <nlohmann/json.hpp>

#include "labs/launcher/summaries/bittorrent_availability.h"
#include "labs/launcher/summaries/bittorrent_run.h"

namespace p2p::labs::bt {

// The share of the pieces after which a download is in its tail.
inline constexpr double kTailFrom = 0.95;

// The timing figures of the mechanisms lab, over the leechers (the launched peers that are not seeds), in
// the peers' own seconds since their start (piece_done and completed events):
//   first_piece_s_median  the median time to a first complete piece: every leecher arrives as a newcomer
//                         with nothing to trade, and the optimistic unchoke is what gives it a first piece
//                         (Cohen 2003; Legout et al. 2006)
//   tail_95_100_s         the median time from holding 95 % of the pieces to the last one, over the leechers
//                         that completed: the last-pieces problem that endgame mode shortens
//   free_rider_slowdown   the free riders' median download time over the contributors' (free riders: a last
//                         status with free_rider true); tit-for-tat should make it well above 1
//   completed_timeline    every kTimelineStep seconds of the run (bittorrent_availability.h), the leechers
//                         that had completed by then: [[seconds since the run's start, completed], ...]
// A leecher that never got there counts with its time up to the end of the run, a lower bound, so that a
// leecher that starves pulls the median up instead of dropping out of it. Each figure is null without a
// leecher to measure on either side.
struct TimingFigures {
  nlohmann::json first_piece_s_median;
  nlohmann::json tail_95_100_s;
  nlohmann::json free_rider_slowdown;
  nlohmann::json completed_timeline = nlohmann::json::array();
};
TimingFigures timing_figures(const Run& run);

}  // namespace p2p::labs::bt
