// SuperSeeder: the least offered piece a peer lacks, one at a time.
#include "bittorrent/super_seeder.h"

namespace p2p::bittorrent {

std::optional<PieceIndex> SuperSeeder::offer(ConnId peer, const PieceSet& peer_has, Rng& rng) {
  std::vector<PieceIndex> least;
  std::uint32_t fewest = UINT32_MAX;
  for (std::uint32_t i = 0; i < times_offered_.size(); ++i) {
    PieceIndex piece(i);
    if (peer_has.has(piece) || times_offered_[i] > fewest) continue;
    if (times_offered_[i] < fewest) least.clear();
    fewest = times_offered_[i];
    least.push_back(piece);
  }
  if (least.empty()) {
    offered_.erase(peer);
    return std::nullopt;
  }
  PieceIndex piece = least[rng.below(least.size())];
  ++times_offered_[piece.value];
  offered_[peer] = piece;
  return piece;
}

bool SuperSeeder::due(ConnId peer, const PieceSet& peer_has) const {
  auto it = offered_.find(peer);
  return it == offered_.end() || peer_has.has(it->second);
}

std::vector<ConnId> SuperSeeder::announced(ConnId from, PieceIndex piece) const {
  std::vector<ConnId> due;
  for (const auto& [peer, offer] : offered_) {
    if (peer != from && offer == piece) due.push_back(peer);
  }
  return due;
}

std::optional<PieceIndex> SuperSeeder::offered(ConnId peer) const {
  auto it = offered_.find(peer);
  if (it == offered_.end()) return std::nullopt;
  return it->second;
}

}  // namespace p2p::bittorrent
