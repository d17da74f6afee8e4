// The gnutella-servent command line: its own flags, and the ServentConfig they describe.
#pragma once

#include "common/host/cli.h"
#include "common/util/expected.h"
#include "gnutella/servent.h"

namespace p2p::gnutella {

// Adds the servent's flags: overlay (--bootstrap, --neighbours, --degree, --max-degree), queries (--ttl,
// --query-rate, --query-window, --no-query-seen, --download-probability) and content (common/host/
// content_options.h).
void add_servent_options(po::options_description& options);

// Builds the config, the catalogue and this node's share of it. Every servent of a lab is given the same
// catalogue and placement flags and its own --node-index, so all of them compute the same catalogue and the
// same placement, and agree on who shares what without a file. Fails with a reason naming the bad flag.
Expected<ServentConfig> read_servent_options(const po::variables_map& vm);

}  // namespace p2p::gnutella
