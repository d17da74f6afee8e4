// SuperSeeder: the one piece a super-seeding seed offers each peer at a time (BEP 16).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "bittorrent/piece_set.h"
#include "common/util/ids.h"
#include "common/util/random.h"

namespace p2p::bittorrent {

// A seed that super-seeds (BEP 16) hides its bitfield and announces (have) one piece to each peer, the
// piece it has offered least so far, so that it uploads about one copy of the file before any piece twice and
// the peers spread the rest. As BEP 16 says, a peer is offered its next piece once another peer has announced
// the one it was offered: it has passed it on (so a peer that keeps its pieces to itself gets no more). A
// peer never tells the seed of a piece the seed offered it, since it believes the seed has it
// (downloader.cpp).
class SuperSeeder {
 public:
  explicit SuperSeeder(std::size_t piece_count) : times_offered_(piece_count, 0) {}

  // The piece to offer `peer`, which holds `peer_has`: the one offered least so far among those it lacks,
  // ties at random; none when it lacks nothing. Remembers it as the peer's offer.
  std::optional<PieceIndex> offer(ConnId peer, const PieceSet& peer_has, Rng& rng);
  // Whether `peer`, which holds `peer_has`, is due an offer: it has none yet, or it holds the one it had.
  bool due(ConnId peer, const PieceSet& peer_has) const;
  // `from` announced `piece`: the other peers that were offered it have passed it on, and are due their next.
  std::vector<ConnId> announced(ConnId from, PieceIndex piece) const;
  std::optional<PieceIndex> offered(ConnId peer) const;
  void forget(ConnId peer) { offered_.erase(peer); }

 private:
  std::vector<std::uint32_t> times_offered_;  // per piece
  std::map<ConnId, PieceIndex> offered_;
};

}  // namespace p2p::bittorrent
