// The DHT node a BitTorrent peer runs with --dht (BEP 5): built from its PeerConfig, and BEP 5's PORT
// message on its connections.
#pragma once

#include <memory>

#include "bittorrent/connection_table.h"
#include "bittorrent/dht/node_runner.h"
#include "bittorrent/peer_config.h"

namespace p2p::bittorrent {

// A node on the runtime's datagram port that joins through config.dht_bootstrap and announces `info_hash`
// with our TCP port (the same number: "the port this peer's DHT node is listening on" is the listen port)
// every config.dht_announce_every; none when config.dht is off.
std::unique_ptr<dht::NodeRunner> make_peer_dht(Runtime& runtime, const PeerConfig& config,
                                               const Sha1Digest& info_hash);

// BEP 5, "BitTorrent Protocol Extension": "Peers supporting the DHT set the last bit of the 8-byte reserved
// flags exchanged in the BitTorrent protocol handshake. Peer receiving a handshake indicating the remote
// peer supports the DHT should send a PORT message." Sends ours on `conn` when we run a node and `theirs`
// set the bit.
void send_dht_port(Runtime& runtime, ConnectionTable& table, PeerConnection& conn, const Handshake& theirs,
                   const dht::NodeRunner* dht);

}  // namespace p2p::bittorrent
