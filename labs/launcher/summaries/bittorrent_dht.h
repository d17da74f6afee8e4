// The DHT lab's figures (labs/07-trackerless, dht-lookups.ini): bt-dht nodes' lab lookups, checked against
// every node's id.
#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

#include "labs/launcher/summaries/bittorrent_run.h"

namespace p2p::labs::bt {

// k: BEP 5's bucket size (bittorrent/dht/routing_table.h), the closest nodes a lookup converges on.
inline constexpr std::size_t kLookupK = 8;

// The metrics of a run with bt-dht nodes (none without one: an empty object):
//   dht_nodes               bt-dht nodes that reported an id (a `dht_started` event at each start)
//   log2_nodes              log2 of dht_nodes: Kademlia's bound on a lookup's hops (Maymounkov and
//                           Mazieres 2002, section 2.3), the theory line of the sweep over N
//   lookups                 lab lookups (`lookup_done` events, bt-dht --lookup-every)
//   lookup_hops_median      median of their hops (Lookup::hops: the depth of the k closest that answered)
//   lookup_messages_median  median of the queries each sent, retries included
//   lookup_success          the share of lookups that found the k closest nodes: a lookup succeeds when it
//                           ended with k answers (or as many as other nodes were up) and no node up over
//                           the whole lookup, other than the asker, is closer to the target than the
//                           farthest of those k yet missing from them. Each run of a node's process has
//                           the id its `dht_started` event gave, and the up time the launcher's events
//                           say; null without lookups.
nlohmann::json dht_lookup_figures(const Run& run);

}  // namespace p2p::labs::bt
