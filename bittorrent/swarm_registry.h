// SwarmRegistry: the tracker's memory of who is in each torrent's swarm, and the random peer lists it hands
// out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include "bittorrent/tracker_request.h"
#include "bittorrent/tracker_response.h"
#include "common/util/expected.h"
#include "common/util/random.h"
#include "common/util/time.h"

namespace p2p::bittorrent {

struct SwarmRegistryConfig {
  bool open = false;                                 // accept any info-hash, not only the registered ones
  Duration peer_timeout = std::chrono::minutes(45);  // forgotten after this long without an announce
  std::size_t max_torrents =
      10'000;  // in open mode, so a flood of random info-hashes cannot grow without end
  std::size_t max_peers_per_torrent = 50'000;
};

// Tracks, per torrent, the peers that announced (address, port, peer id, seed or not, last heard) and how
// many completed (BEP 3 "Trackers", BEP 48 scrape counts). It answers an announce with up to numwant peers
// drawn uniformly at random, never the caller itself: the seed lectures' "about 40 random peers", which is
// what makes the swarm's graph a random one. A peer is keyed by its address and port, as opentracker does,
// so a client that restarts with a new peer id replaces its old entry. Pure: time and randomness are passed
// in.
class SwarmRegistry {
 public:
  explicit SwarmRegistry(SwarmRegistryConfig config = {}) : config_(config) {}

  void add_torrent(const Sha1Digest& info_hash);
  bool knows(const Sha1Digest& info_hash) const { return torrents_.contains(info_hash); }

  struct Answer {
    std::vector<TrackerPeer> peers;
    std::int64_t complete = 0;
    std::int64_t incomplete = 0;
  };
  // Records an announce that came from IPv4 address `address` and answers it. Refused (the reason becomes the
  // "failure reason"): an unregistered torrent outside open mode, a full registry or swarm.
  Expected<Answer> announce(const AnnounceRequest& request, std::uint32_t address, TimePoint now, Rng& rng);
  // Counts for the given torrents, or for every torrent when none is named; unknown ones are left out.
  std::vector<ScrapeFile> scrape(const std::vector<Sha1Digest>& info_hashes) const;
  // Forgets peers not heard from within the timeout; returns how many.
  std::size_t expire(TimePoint now);

  std::size_t torrents() const { return torrents_.size(); }
  std::size_t peers() const;
  std::size_t seeds() const;

 private:
  struct Entry {
    std::uint64_t key;  // address << 16 | port
    PeerId peer_id;
    bool seed;
    TimePoint last;
  };
  struct Swarm {
    std::vector<Entry> entries;  // unordered; removal swaps with the last
    std::unordered_map<std::uint64_t, std::size_t> by_key;
    std::size_t seeds = 0;
    std::int64_t downloaded = 0;
  };

  static void remove(Swarm& swarm, std::size_t index);
  static std::vector<TrackerPeer> draw(const Swarm& swarm, std::optional<std::size_t> caller,
                                       std::size_t numwant, Rng& rng);
  ScrapeFile counts(const Sha1Digest& info_hash, const Swarm& swarm) const;

  SwarmRegistryConfig config_;
  std::map<Sha1Digest, Swarm> torrents_;
};

}  // namespace p2p::bittorrent
