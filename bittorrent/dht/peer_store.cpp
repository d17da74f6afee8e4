// Announced peers with their last announce time, bounded per torrent and in all.
#include "bittorrent/dht/peer_store.h"

#include <algorithm>

namespace p2p::bittorrent::dht {

PeerStore::PeerStore(PeerStoreConfig config) : config_(config) {}

bool PeerStore::announce(const NodeId& info_hash, const Endpoint& peer, TimePoint now) {
  auto torrent = torrents_.find(info_hash);
  if (torrent == torrents_.end()) {
    if (torrents_.size() == config_.max_torrents) return false;
    torrent = torrents_.emplace(info_hash, std::map<Endpoint, TimePoint>{}).first;
  }
  auto& peers = torrent->second;
  if (!peers.contains(peer) && peers.size() == config_.max_peers_per_torrent) {
    peers.erase(std::ranges::min_element(peers, {}, [](const auto& entry) { return entry.second; }));
  }
  peers[peer] = now;
  return true;
}

std::vector<Endpoint> PeerStore::peers(const NodeId& info_hash, std::size_t count, TimePoint now,
                                       Rng& rng) const {
  std::vector<Endpoint> live;
  auto torrent = torrents_.find(info_hash);
  if (torrent == torrents_.end()) return live;
  for (const auto& [peer, announced] : torrent->second) {
    if (now - announced < config_.peer_lifetime) live.push_back(peer);
  }
  if (live.size() > count) {
    rng.shuffle(live);
    live.resize(count);
  }
  return live;
}

void PeerStore::expire(TimePoint now) {
  for (auto torrent = torrents_.begin(); torrent != torrents_.end();) {
    std::erase_if(torrent->second,
                  [&](const auto& entry) { return now - entry.second >= config_.peer_lifetime; });
    torrent = torrent->second.empty() ? torrents_.erase(torrent) : std::next(torrent);
  }
}

}  // namespace p2p::bittorrent::dht
