// Gossip: the membership manager around the mCache, speaking Membership and Leave messages.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "common/util/random.h"
#include "coolstreaming/mcache.h"
#include "coolstreaming/message.h"

namespace p2p::coolstreaming {

struct GossipConfig {
  // How long an announcement of a member stays valid (DONet's time_to_live): a member that stops announcing
  // itself leaves every view within this time.
  Duration member_ttl = std::chrono::seconds(30);
  std::size_t view_capacity = 64;
};

// A message to pass on, and the member it goes to.
template <typename M>
struct Relay {
  Endpoint to;
  M message;
};

// DONet's membership manager (Zhang et al., INFOCOM 2005, section 3.A): a node announces itself now and
// then with a growing seq, records heard from others go through the SCAMP rule of the mCache, and a
// departure removes the member and spreads while it is news. A node only talks to its partners, so the
// caller sends a relay to the partner it names, or to a random partner when the SCAMP target is not one.
class Gossip {
 public:
  Gossip(Endpoint self, GossipConfig config);

  MCache& view() { return view_; }
  const MCache& view() const { return view_; }

  // This node's next announcement of itself.
  Membership announce(std::uint16_t num_partner);
  // A newcomer subscribed through this node (the deputy): kept, and the record to spread about it.
  Membership subscribe(const Endpoint& newcomer, TimePoint now);
  // A record heard from `from`: the SCAMP decision, and what to pass on if anything.
  std::optional<Relay<Membership>> on_membership(const Membership& heard, const Endpoint& from, TimePoint now,
                                                 Rng& rng);
  // A departure heard: the member leaves the view. If it was there, the news goes on, one hop shorter, as
  // long as it has time left to travel; a departure already known stops here, so it cannot circle.
  std::optional<Leave> on_leave(const Leave& heard);
  // The Leave this node gossips for itself, or for a partner that timed out.
  Leave departure(const Endpoint& member);

 private:
  Endpoint self_;
  GossipConfig config_;
  MCache view_;
  std::uint32_t seq_ = 0;
};

}  // namespace p2p::coolstreaming
