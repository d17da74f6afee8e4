// The trackerless lab's figures (labs/07-trackerless, tracker-dies.ini): who completed after the tracker
// died, and how many peers the swarm learned from PEX (BEP 11) and the DHT (BEP 5).
#pragma once

#include <nlohmann/json.hpp>

#include "labs/launcher/summaries/bittorrent_run.h"

namespace p2p::labs::bt {

// Adds to `metrics`:
//   peers_via_pex, peers_via_dht   the sums over the swarm's peers of their last status's count of peers
//                          learned that way (bittorrent/peer_status.cpp); null when no peer reports it
// and, when the tracker was killed or left during the run:
//   tracker_died_s         when it first went, in seconds since the run's start
//   arrived_after_tracker_death     leechers whose first start came at or after that moment
//   completed_after_tracker_death   the share of those that completed (null when none arrived)
void add_trackerless_figures(const Run& run, nlohmann::json& metrics);

}  // namespace p2p::labs::bt
