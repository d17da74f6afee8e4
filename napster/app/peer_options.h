// The napster-peer flags, read into a PeerConfig plus what the process needs to lay out its shared folder.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/content/catalogue.h"
#include "common/host/cli.h"
#include "napster/peer.h"

namespace p2p::napster {

// Everything napster-peer builds its core from.
struct PeerOptions {
  PeerConfig config;
  // The lab's catalogue (the same for every peer with the same catalogue flags), for the query workload.
  std::shared_ptr<const content::Catalogue> catalogue;
  // The catalogue files this node holds at start, by the popularity placement over --nodes (none for a free
  // rider).
  std::vector<std::size_t> shared;
  std::filesystem::path data_dir;  // the shared folder on disk
  std::uint64_t max_download_bytes = 0;
};

void add_peer_options(po::options_description& options);
// `default_nick` stands in when neither --nick nor --node-id is given. Every mistake comes back as one line
// naming the flag.
Expected<PeerOptions> read_peer_options(const po::variables_map& vm, const std::string& default_nick);

}  // namespace p2p::napster
