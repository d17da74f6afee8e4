// Preparing bt-peer's content: the torrent loaded or made, and the data on disk or in memory.
#pragma once

#include "bittorrent/app/peer_options.h"
#include "bittorrent/magnet_peer.h"
#include "bittorrent/peer.h"

namespace p2p::bittorrent {

// Loads the torrent (or makes the synthetic one) and saves it if asked, opens the storage (pre-allocating
// files on disk, writing a synthetic seed's content where it is missing) and verifies the pieces already
// there, so a restarted peer resumes. Fails with a reason naming the flag or file.
Expected<PeerConfig> prepare_peer(const PeerOptions& options);

// Adds the torrent `torrent` (a file's bytes, or one made from a magnet link's metadata) to `config`: parses
// it, saves it if --save-torrent asks, and opens and verifies the storage as prepare_peer does.
Status open_torrent(const PeerOptions& options, ByteView torrent, PeerConfig& config);

// For --magnet: the link, the policies, and open_torrent to run once the metadata is in.
MagnetPeerConfig prepare_magnet_peer(const PeerOptions& options);

}  // namespace p2p::bittorrent
