// The peers announced to a DHT node (BEP 5, "announce_peer": the queried node "should store the IP address
// of the querying node and the supplied port number under the infohash"), handed out with get_peers.
#pragma once

#include <cstddef>
#include <map>
#include <vector>

#include "bittorrent/dht/node_id.h"
#include "common/net/endpoint.h"
#include "common/util/random.h"
#include "common/util/time.h"

namespace p2p::bittorrent::dht {

struct PeerStoreConfig {
  // BEP 5 sets no lifetime: a peer that stops announcing is dropped this long after its last announce.
  Duration peer_lifetime = std::chrono::minutes(30);
  // Bounds that keep a flood of announces from growing the node without limit.
  std::size_t max_torrents = 10000;
  std::size_t max_peers_per_torrent = 1000;
};

// Peers by info-hash, each with the time of its last announce. A full torrent forgets its stalest peer for
// a new one; a full store takes no new torrent until one expires.
class PeerStore {
 public:
  explicit PeerStore(PeerStoreConfig config);

  // Stores or refreshes `peer` under `info_hash`; false when the store is full of other torrents.
  bool announce(const NodeId& info_hash, const Endpoint& peer, TimePoint now);
  // Up to `count` peers of the torrent announced within the lifetime, a random choice when there are more.
  std::vector<Endpoint> peers(const NodeId& info_hash, std::size_t count, TimePoint now, Rng& rng) const;
  // Forgets peers past their lifetime, and torrents left with none.
  void expire(TimePoint now);

  std::size_t torrents() const { return torrents_.size(); }

 private:
  PeerStoreConfig config_;
  std::map<NodeId, std::map<Endpoint, TimePoint>> torrents_;
};

}  // namespace p2p::bittorrent::dht
