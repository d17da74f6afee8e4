// The cs-peer command line: its flags, the PeerConfig they describe, and where the played bytes go.
#pragma once

#include <optional>
#include <string>

#include "common/host/cli.h"
#include "common/util/expected.h"
#include "coolstreaming/peer.h"

namespace p2p::coolstreaming {

// Everything cs-peer builds its core from.
struct PeerOptions {
  PeerConfig config;
  std::optional<std::string> play_to;  // --play-to FILE or "-"
};

// Adds --source, --overlay mesh|tree, the partnership (--partners, --max-partners), the buffer and player
// (--window, --startup-ms,
// --scheduler, --play-to) and the upload (--no-upload, --upload-kbps).
void add_peer_options(po::options_description& options);

// Fails with one line naming the bad flag.
Expected<PeerOptions> read_peer_options(const po::variables_map& vm);

}  // namespace p2p::coolstreaming
