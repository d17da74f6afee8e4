// SwarmRegistry: announces recorded per torrent, peers drawn at random, silent peers expired.
#include "bittorrent/swarm_registry.h"

namespace p2p::bittorrent {

void SwarmRegistry::add_torrent(const Sha1Digest& info_hash) {
  torrents_.try_emplace(info_hash);
}

Expected<SwarmRegistry::Answer> SwarmRegistry::announce(const AnnounceRequest& request, std::uint32_t address,
                                                        TimePoint now, Rng& rng) {
  auto it = torrents_.find(request.info_hash);
  if (it == torrents_.end()) {
    if (!config_.open) return make_error("unregistered torrent");
    if (torrents_.size() >= config_.max_torrents) return make_error("tracker full");
    it = torrents_.try_emplace(request.info_hash).first;
  }
  Swarm& swarm = it->second;
  std::uint64_t key = std::uint64_t{address} << 16 | request.port;
  auto found = swarm.by_key.find(key);
  std::optional<std::size_t> caller;
  if (request.event == AnnounceEvent::Stopped) {
    if (found != swarm.by_key.end()) remove(swarm, found->second);
  } else {
    bool seed = request.left == 0;
    if (found == swarm.by_key.end()) {
      if (swarm.entries.size() >= config_.max_peers_per_torrent) return make_error("swarm full");
      swarm.by_key[key] = swarm.entries.size();
      swarm.entries.push_back(Entry{key, request.peer_id, seed, now});
      swarm.seeds += seed ? 1 : 0;
      caller = swarm.entries.size() - 1;
    } else {
      Entry& entry = swarm.entries[found->second];
      swarm.seeds += (seed ? 1 : 0) - (entry.seed ? 1 : 0);
      entry = Entry{key, request.peer_id, seed, now};
      caller = found->second;
    }
    if (request.event == AnnounceEvent::Completed) ++swarm.downloaded;
  }
  Answer answer;
  // A peer that leaves needs no peers; the others get a fresh random sample each time.
  if (request.event != AnnounceEvent::Stopped) answer.peers = draw(swarm, caller, request.numwant, rng);
  answer.complete = static_cast<std::int64_t>(swarm.seeds);
  answer.incomplete = static_cast<std::int64_t>(swarm.entries.size() - swarm.seeds);
  return answer;
}

// Selection sampling (Knuth, TAOCP vol. 2, Algorithm S): each of the n candidates is taken with probability
// (still needed) / (still left), which yields k distinct peers uniformly at random in one pass, no copies.
std::vector<TrackerPeer> SwarmRegistry::draw(const Swarm& swarm, std::optional<std::size_t> caller,
                                             std::size_t numwant, Rng& rng) {
  std::size_t left = swarm.entries.size() - (caller ? 1 : 0);
  std::size_t needed = std::min(numwant, left);
  std::vector<TrackerPeer> out;
  out.reserve(needed);
  for (std::size_t i = 0; i < swarm.entries.size() && needed > 0; ++i) {
    if (caller && i == *caller) continue;
    if (rng.below(left--) < needed) {
      const Entry& entry = swarm.entries[i];
      out.push_back(TrackerPeer{static_cast<std::uint32_t>(entry.key >> 16),
                                static_cast<std::uint16_t>(entry.key & 0xffff), entry.peer_id});
      --needed;
    }
  }
  return out;
}

void SwarmRegistry::remove(Swarm& swarm, std::size_t index) {
  Entry& entry = swarm.entries[index];
  swarm.seeds -= entry.seed ? 1 : 0;
  swarm.by_key.erase(entry.key);
  if (index + 1 != swarm.entries.size()) {
    entry = swarm.entries.back();
    swarm.by_key[entry.key] = index;
  }
  swarm.entries.pop_back();
}

ScrapeFile SwarmRegistry::counts(const Sha1Digest& info_hash, const Swarm& swarm) const {
  return ScrapeFile{info_hash, static_cast<std::int64_t>(swarm.seeds), swarm.downloaded,
                    static_cast<std::int64_t>(swarm.entries.size() - swarm.seeds)};
}

std::vector<ScrapeFile> SwarmRegistry::scrape(const std::vector<Sha1Digest>& info_hashes) const {
  std::vector<ScrapeFile> out;
  if (info_hashes.empty()) {
    for (const auto& [hash, swarm] : torrents_) out.push_back(counts(hash, swarm));
  }
  for (const Sha1Digest& hash : info_hashes) {
    if (auto it = torrents_.find(hash); it != torrents_.end()) out.push_back(counts(hash, it->second));
  }
  return out;
}

std::size_t SwarmRegistry::expire(TimePoint now) {
  std::size_t forgotten = 0;
  for (auto& [hash, swarm] : torrents_) {
    for (std::size_t i = swarm.entries.size(); i-- > 0;) {
      if (now - swarm.entries[i].last >= config_.peer_timeout) {
        remove(swarm, i);
        ++forgotten;
      }
    }
  }
  return forgotten;
}

std::size_t SwarmRegistry::peers() const {
  std::size_t n = 0;
  for (const auto& [hash, swarm] : torrents_) n += swarm.entries.size();
  return n;
}

std::size_t SwarmRegistry::seeds() const {
  std::size_t n = 0;
  for (const auto& [hash, swarm] : torrents_) n += swarm.seeds;
  return n;
}

}  // namespace p2p::bittorrent
