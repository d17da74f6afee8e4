// The status record of a BitTorrent peer: the telemetry a dashboard and a lab summary read.
#pragma once

#include <nlohmann/json.hpp>

#include "bittorrent/peer.h"

namespace p2p::bittorrent {

// The fields (their names are part of the telemetry contract):
//   peer_id (hex), state (leeching | seeding | leaving), pieces, have, progress, bitfield (hex, BEP 3 order),
//   downloaded, uploaded, down_bps, up_bps (payload, bits/s, 20 s window), from_seeds, from_leechers,
//   completed_s (null until complete), verified, free_rider, endgame, connections, unchoked,
//   interested_peers, availability (copies of each piece among connected peers), min_availability,
//   failed_pieces, banned, wasted, requests_dropped, requests_duplicate, requests_timed_out,
//   tracker_announces, tracker_failures, peers_via_pex, peers_via_dht (addresses first learned from ut_pex,
//   from the DHT), dht_table_size (nodes in the routing table of the peer's DHT node, 0 with --dht off),
//   dht_ports (PORT messages acted on), the extension counters of PeerExtensions::status(), peers
//   [PeerConnection::status] (left out when PeerConfig::status_connections is off); size (the torrent's
//   bytes): with free_rider (never uploads), what the distribution-time bound needs.
nlohmann::json peer_status(const Peer& peer, TimePoint now);

}  // namespace p2p::bittorrent
