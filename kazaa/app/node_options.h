// The kazaa-node command line: its own flags, and the NodeConfig they describe.
#pragma once

#include "common/host/cli.h"
#include "common/util/expected.h"
#include "kazaa/node.h"

namespace p2p::kazaa {

// Adds the node's flags: role and supernodes (--role, --bootstrap, --max-children, --sn-neighbours,
// --children-per-super), searches (--want, --indirect, --query-rate, --download-probability) and content
// (common/host/content_options.h).
void add_kazaa_options(po::options_description& options);

// Builds the config, the catalogue and this node's share of it. Every node of a lab is given the same
// catalogue and placement flags and its own --node-index, so all agree on who shares what. Fails with one
// line naming the bad flag.
Expected<NodeConfig> read_kazaa_options(const po::variables_map& vm);

}  // namespace p2p::kazaa
