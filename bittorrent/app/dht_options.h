// The bt-dht command line: its flags, and the DhtCoreConfig they describe.
#pragma once

#include "bittorrent/dht/dht_core.h"
#include "common/host/cli.h"

namespace p2p::bittorrent {

// Adds bt-dht's flags: where to join (--bootstrap), its id (--id), what to announce (--announce), the
// per-address query budget (--query-rate) and a lab's random lookups (--lookup-every).
void add_dht_options(po::options_description& options);

// Fails with a reason naming the bad flag.
Expected<dht::DhtCoreConfig> read_dht_options(const po::variables_map& vm);

}  // namespace p2p::bittorrent
