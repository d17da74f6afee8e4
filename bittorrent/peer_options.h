// The bt-peer command line: its flags, and the PeerConfig (torrent, storage, policies) they describe.
#pragma once

#include "bittorrent/peer.h"
#include "common/host/cli.h"

namespace p2p::bittorrent {

// Adds bt-peer's flags: the torrent (--torrent, or --synthetic with --name, --piece-length, --content-seed,
// --announce, --save-torrent), the data (--data, --storage, --seeder), the policies (--picker, --endgame,
// --choker, --optimistic, --free-rider, --seed-time) and the caps (--max-peers, --dial-peers, --max-requests,
// --pipeline, --numwant, --no-verify).
void add_peer_options(po::options_description& options);

// Loads or makes the torrent, opens the storage (pre-allocating files on disk, writing a synthetic seed's
// content if missing) and verifies the pieces already there, so a restarted peer resumes. Fails with a
// reason naming the bad flag or file.
Expected<PeerConfig> read_peer_config(const po::variables_map& vm);

}  // namespace p2p::bittorrent
