// DialList: a capped map of addresses with their source and last dial.
#include "bittorrent/dial_list.h"

#include <algorithm>

namespace p2p::bittorrent {

std::string_view peer_source_name(PeerSource source) {
  switch (source) {
    case PeerSource::Tracker:
      return "tracker";
    case PeerSource::Pex:
      return "pex";
    case PeerSource::Given:
      return "given";
    case PeerSource::Dht:
      return "dht";
  }
  return "unknown";
}

bool DialList::learn(const Endpoint& endpoint, PeerSource source, TimePoint now) {
  if (candidates_.size() >= config_.max_addresses) return false;
  bool fresh = candidates_.try_emplace(endpoint, Candidate{source, now}).second;
  if (fresh) ++learned_[static_cast<std::size_t>(source)];
  return fresh;
}

// Addresses we were given (a magnet link's x.pe) are dialled at once: nobody else knows to dial us.
bool DialList::yields_to(const Endpoint& endpoint, const Candidate& candidate, TimePoint now) const {
  return candidate.source != PeerSource::Given && config_.self < endpoint &&
         now - candidate.learned_at < config_.yield_for;
}

bool DialList::redial_due(const Candidate& candidate, TimePoint now) const {
  return !candidate.dialled || now - candidate.last_dialled >= config_.redial_after;
}

bool DialList::any_redial_due(TimePoint now) const {
  return std::ranges::any_of(candidates_, [&](const auto& entry) { return redial_due(entry.second, now); });
}

std::vector<DialList::Due> DialList::due(const std::set<Endpoint>& connected, std::size_t room,
                                         TimePoint now) {
  std::vector<Due> out;
  for (auto& [endpoint, candidate] : candidates_) {
    if (out.size() >= room) break;
    // The time first: it is cheaper than looking the address up among the connected.
    if (!redial_due(candidate, now)) continue;
    if (connected.contains(endpoint)) continue;
    if (yields_to(endpoint, candidate, now)) continue;
    candidate.dialled = true;
    candidate.last_dialled = now;
    out.push_back(Due{endpoint, candidate.source});
  }
  return out;
}

std::vector<Endpoint> DialList::addresses() const {
  std::vector<Endpoint> out;
  for (const auto& [endpoint, candidate] : candidates_) out.push_back(endpoint);
  return out;
}

std::size_t DialList::learned_from(PeerSource source) const {
  return learned_[static_cast<std::size_t>(source)];
}

}  // namespace p2p::bittorrent
