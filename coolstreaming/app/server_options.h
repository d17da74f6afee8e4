// The cs-server command line: its flags, and the ServerConfig they describe.
#pragma once

#include "common/host/cli.h"
#include "common/util/expected.h"
#include "coolstreaming/server.h"

namespace p2p::coolstreaming {

// Adds --source, --window and --upload-kbps.
void add_server_options(po::options_description& options);

// Fails with one line naming the bad flag.
Expected<ServerConfig> read_server_options(const po::variables_map& vm);

}  // namespace p2p::coolstreaming
