// The swarm's piece availability over time: the copies of its rarest piece and its entropy (Legout et al.).
#pragma once

#include <nlohmann/json.hpp>

#include "labs/launcher/summaries/bittorrent_run.h"

namespace p2p::labs::bt {

// Samples are this many seconds apart: fine enough to see a 100 s download unfold, short enough to print.
inline constexpr double kTimelineStep = 5;
// The peers a leecher is taken to know, as the tracker's answers (50 peers) would give it.
inline constexpr std::size_t kPeerSet = 50;

// Every kTimelineStep seconds since the run's start (lab_started) that falls from `from` to `to` (the
// records' clock), each peer that is up holds the pieces
// it started with (its last status's bitfield, less those it reported stored) and those of its piece_done
// events so far. At each sample:
//   min_copies  the copies of the rarest piece among the peers that are up, seeds included; a piece with
//               one copy is lost if that peer leaves (Legout et al. 2006, "Rarest first and choke algorithms
//               are enough": rarest first keeps this figure from staying at the seed's 1)
//   entropy     Legout et al.'s entropy: the share of (leecher, peer in its peer set) pairs
//               in which the leecher is interested, that is, the peer holds a piece the leecher lacks; 1
//               is ideal (every leecher can trade with everyone it knows), null without leechers. A
//               leecher's peer set is the next kPeerSet peers that are up, in name order.
//   histogram   the availability histogram the tracker's dashboard view shows live: how many pieces have
//               0, 1, 2... copies among the peers up; each count with at least one piece is a triple
//               [seconds, copies, pieces], so the report draws it as a heat map
// min_copies and entropy are [[seconds since the run's start, value], ...], as the report's other plots count
// time; the means are those of the non-null values (null if none).
struct AvailabilityTimelines {
  nlohmann::json min_copies = nlohmann::json::array();
  nlohmann::json entropy = nlohmann::json::array();
  nlohmann::json histogram = nlohmann::json::array();
  nlohmann::json min_copies_mean;
  nlohmann::json entropy_mean;
};
AvailabilityTimelines availability_timelines(const Run& run, double from, double to);

}  // namespace p2p::labs::bt
