// A peer's DHT node from its config, and the PORT message it sends.
#include "bittorrent/peer_dht.h"

#include <algorithm>

namespace p2p::bittorrent {

std::unique_ptr<dht::NodeRunner> make_peer_dht(Runtime& runtime, const PeerConfig& config,
                                               const Sha1Digest& info_hash) {
  if (!config.dht) return nullptr;
  dht::NodeRunnerConfig node;
  node.bootstrap = config.dht_bootstrap;
  dht::NodeId hash;
  std::ranges::copy(info_hash, hash.bytes.begin());
  node.announce = dht::DhtAnnounce{hash, runtime.local_endpoint().port};
  node.announce_every = config.dht_announce_every;
  return std::make_unique<dht::NodeRunner>(runtime, std::move(node));
}

void send_dht_port(Runtime& runtime, ConnectionTable& table, PeerConnection& conn, const Handshake& theirs,
                   const dht::NodeRunner* dht) {
  if (dht != nullptr && supports_dht(theirs))
    table.send(conn, encode_message(Port{runtime.local_endpoint().port}));
}

}  // namespace p2p::bittorrent
