// The bt-peer command line: its flags, and the PeerOptions they describe.
#pragma once

#include <optional>
#include <string>

#include "bittorrent/extension/magnet.h"
#include "bittorrent/peer.h"
#include "bittorrent/synthetic_content.h"
#include "common/host/cli.h"

namespace p2p::bittorrent {

// What bt-peer's flags say: the core's policies and caps, and where its torrent and data come from. Reading
// them touches no file; prepare_peer (peer_setup.h) then loads the torrent and opens the data.
struct PeerOptions {
  PeerConfig config;  // policies and caps; prepare_peer adds the torrent, the storage and the pieces held
  std::string torrent_file;                     // --torrent, empty for synthetic content or a magnet link
  std::optional<SyntheticContent> synthetic;    // --synthetic and the flags that describe it
  std::optional<extension::MagnetLink> magnet;  // --magnet: the metadata comes from the swarm
  std::string save_torrent;                     // --save-torrent, or empty
  bool in_memory = false;                       // --storage memory (else files under data_dir)
  std::string data_dir;                         // --data
  bool seeder = false;                          // starts with the whole synthetic file
};

// Adds bt-peer's flags: the torrent (--torrent, --magnet, or --synthetic with --name, --piece-length,
// --content-seed, --announce; and --save-torrent), the data (--data, --storage, --seeder), the policies
// (--picker, --endgame, --choker, --optimistic, --upload-slots, --free-rider, --super-seed, --seed-time,
// --pex,
// --dht, --dht-bootstrap) and the caps (--max-peers, --dial-peers, --max-requests, --pipeline, --numwant,
// --no-verify).
void add_peer_options(po::options_description& options);

// Fails with a reason naming the bad flag.
Expected<PeerOptions> read_peer_options(const po::variables_map& vm);

}  // namespace p2p::bittorrent
