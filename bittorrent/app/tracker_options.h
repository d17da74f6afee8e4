// The bt-tracker command line: its flags, and the TrackerConfig they describe.
#pragma once

#include "bittorrent/tracker.h"
#include "common/host/cli.h"

namespace p2p::bittorrent {

// Adds bt-tracker's flags: what it tracks (--torrent, --info-hash, --open) and its timing (--interval,
// --min-interval, --peer-timeout).
void add_tracker_options(po::options_description& options);

// Fails with a reason naming the bad flag, or a torrent file that cannot be read.
Expected<TrackerConfig> read_tracker_options(const po::variables_map& vm);

}  // namespace p2p::bittorrent
