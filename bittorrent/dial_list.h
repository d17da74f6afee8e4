// DialList: the addresses a peer may dial, where it learned each, and when it last dialled it.
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <set>
#include <string_view>
#include <vector>

#include "common/net/endpoint.h"
#include "common/util/time.h"

namespace p2p::bittorrent {

// Where a peer heard of an address: the tracker's answers, a neighbour's ut_pex message (BEP 11), its start
// (a magnet link's x.pe, the peers its metadata came from), or a get_peers lookup in the DHT (BEP 5). A lab
// counts the peers found by PEX and by the DHT.
enum class PeerSource { Tracker, Pex, Given, Dht };
inline constexpr std::size_t kPeerSources = 4;  // the enumerators of PeerSource
std::string_view peer_source_name(PeerSource source);

struct DialListConfig {
  std::size_t max_addresses = 220;  // kept at most: a flood of addresses cannot grow it further
  Duration redial_after = std::chrono::seconds(30);  // before dialling an address again
  // Two peers that learn of each other at about the same time (from the tracker, or from PEX messages
  // crossing) would dial each other at once, and one of the two connections would be closed as a duplicate
  // after both handshakes. Instead the peer with the smaller listen address waits this long after learning of
  // a larger one, to be dialled first; it dials after all if nobody came (the other may not know of it, or
  // have no dial slot free). A compact tracker answer carries no peer ids, so addresses decide. In a flash
  // crowd of 100 leechers in SimNet, 1 s cut the duplicates from 581 to 193 for 3 % more time to complete;
  // 5 s cut them to 22 but cost 17 %: a leecher also waited that long for a seed with a larger address.
  Endpoint self;
  Duration yield_for = std::chrono::seconds(1);
};

// The candidates for outbound connections. An address keeps the source it was first learned from, so one a
// tracker gave is never counted as found by PEX.
class DialList {
 public:
  struct Due {
    Endpoint endpoint;
    PeerSource source;
  };

  explicit DialList(DialListConfig config) : config_(config) {}

  // Adds `endpoint`, learned at `now`, unless known or the list is full; true if it was new.
  bool learn(const Endpoint& endpoint, PeerSource source, TimePoint now);
  // Up to `room` addresses to dial now, each marked dialled at `now`: not in `connected`, never dialled or
  // dialled at least redial_after ago, and not one we yield to (DialListConfig::yield_for).
  std::vector<Due> due(const std::set<Endpoint>& connected, std::size_t room, TimePoint now);
  // False if due() would find nothing at `now` whatever is connected: every address was dialled less than
  // redial_after ago. A caller may skip gathering what is connected.
  bool any_redial_due(TimePoint now) const;

  std::vector<Endpoint> addresses() const;
  std::size_t learned_from(PeerSource source) const;

 private:
  struct Candidate {
    PeerSource source;
    TimePoint learned_at;
    TimePoint last_dialled{};
    bool dialled = false;
  };

  bool yields_to(const Endpoint& endpoint, const Candidate& candidate, TimePoint now) const;
  bool redial_due(const Candidate& candidate, TimePoint now) const;

  DialListConfig config_;
  std::map<Endpoint, Candidate> candidates_;
  // Candidates by source, counted as they are learned (none is ever forgotten): every status record asks.
  std::array<std::size_t, kPeerSources> learned_{};
};

}  // namespace p2p::bittorrent
