// Where the leechers' bytes came from over time: from seeds or from other leechers (Izal et al. 2004).
#pragma once

#include <nlohmann/json.hpp>

#include "labs/launcher/summaries/bittorrent_run.h"

namespace p2p::labs::bt {

// Every kTimelineStep seconds of the run (bittorrent_availability.h), the payload bytes the leechers had
// received so far from peers that were seeds when the bytes came (the original seed, and leechers that had
// completed) and from leechers: [[seconds since the run's start, from seeds, from leechers], ...]. Each
// leecher counts with its latest piece_done at or before the sample, so a leecher that has left still
// counts with what it received. Izal et al. (PAM 2004) found that in the Red Hat 9 torrent's first days the
// seeds served a large share of the bytes; this shows how large, and when.
nlohmann::json sources_timeline(const Run& run);

}  // namespace p2p::labs::bt
