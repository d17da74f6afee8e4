// SimCores: the protocol cores a `p2plab run --sim` lab builds for its roles, from the flags their processes
// would read.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "bittorrent/metainfo.h"
#include "bittorrent/synthetic_content.h"
#include "common/sim/sim_net.h"
#include "common/util/expected.h"
#include "labs/launcher/scenario.h"

namespace p2p::labs {

// Whether --sim can run the scenario: its system has cores here, and so has every role's program. Fails with
// the one line to show (a system without --sim support yet, or a program it does not know).
Status check_sim_support(const Scenario& scenario);

// Builds a node's core from its role's program and the args its template expanded to, read by that
// program's own option reader (bittorrent/app), so a scenario means the same in SimNet as in processes.
// What differs is only where the bytes live: a bt-peer keeps its synthetic file in a SyntheticStorage, which
// reads one copy shared by the whole lab, so that a thousand peers of a 16 MiB file fit in memory;
// `--storage` and `--data` are ignored.
class SimCores {
 public:
  // The maker SimNet calls at each (re)start of the node. A restarted node keeps its storage, as a process
  // keeps its folder (and, holding no bytes, starts again from no pieces, as --storage memory does).
  Expected<sim::MakeCore> make(const std::string& program, const std::vector<std::string>& args);

 private:
  Expected<sim::MakeCore> make_peer(const std::vector<std::string>& args);
  // A lab's synthetic torrent and its content, made once and shared by all its peers.
  struct SharedTorrent {
    std::shared_ptr<const bittorrent::Metainfo> metainfo;
    std::shared_ptr<const Bytes> content;
  };
  Expected<SharedTorrent> torrent(const bittorrent::SyntheticContent& content);

  // The synthetic torrents made so far, by (name, size, piece length, content seed, announce): every peer of
  // a lab shares one, hashed and generated once rather than once per peer.
  using TorrentKey = std::tuple<std::string, std::int64_t, std::int64_t, std::uint64_t, std::string>;
  std::map<TorrentKey, SharedTorrent> torrents_;
};

}  // namespace p2p::labs
