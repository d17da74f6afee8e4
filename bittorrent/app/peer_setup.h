// Preparing bt-peer's content: the torrent loaded or made, and the data on disk or in memory.
#pragma once

#include "bittorrent/app/peer_options.h"
#include "bittorrent/peer.h"

namespace p2p::bittorrent {

// Loads the torrent (or makes the synthetic one) and saves it if asked, opens the storage (pre-allocating
// files on disk, writing a synthetic seed's content where it is missing) and verifies the pieces already
// there, so a restarted peer resumes. Fails with a reason naming the flag or file.
Expected<PeerConfig> prepare_peer(const PeerOptions& options);

}  // namespace p2p::bittorrent
