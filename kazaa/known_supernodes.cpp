// The supernode refresh list: merging reports, forgetting the stale and the dead, ranking candidates.
#include "kazaa/known_supernodes.h"

#include <algorithm>
#include <limits>

namespace p2p::kazaa {

void KnownSupernodes::merge(std::span<const SupernodeEntry> entries, TimePoint now) {
  for (const SupernodeEntry& entry : entries)
    learn(entry.address, entry.load_percent, now - seconds(entry.last_seen_s));
  while (live_.size() > config_.capacity) evict_stalest();
}

void KnownSupernodes::heard_from(const Endpoint& address, std::uint8_t load_percent, TimePoint now) {
  learn(address, load_percent, now);
  while (live_.size() > config_.capacity) evict_stalest();
}

void KnownSupernodes::mark_dead(const Endpoint& address, TimePoint now) {
  live_.erase(address);
  dead_[address] = now;
}

void KnownSupernodes::expire(TimePoint now) {
  std::erase_if(live_, [&](const auto& item) { return now - item.second.heard_at > config_.max_age; });
  std::erase_if(dead_, [&](const auto& item) { return now - item.second > config_.max_age; });
}

void KnownSupernodes::learn(const Endpoint& address, std::uint8_t load_percent, TimePoint heard_at) {
  if (address == self_ || address.port == 0 || address.ipv4() == 0) return;
  if (auto dead = dead_.find(address); dead != dead_.end()) {
    if (heard_at <= dead->second) return;  // news from before its death
    dead_.erase(dead);
  }
  auto [it, is_new] = live_.try_emplace(address, Live{heard_at, load_percent});
  if (!is_new && heard_at > it->second.heard_at) it->second = Live{heard_at, load_percent};
}

void KnownSupernodes::evict_stalest() {
  auto stalest = std::min_element(live_.begin(), live_.end(), [](const auto& a, const auto& b) {
    return a.second.heard_at < b.second.heard_at;
  });
  live_.erase(stalest);
}

std::size_t KnownSupernodes::heard_within(TimePoint now, Duration window) const {
  return static_cast<std::size_t>(std::count_if(
      live_.begin(), live_.end(), [&](const auto& entry) { return now - entry.second.heard_at <= window; }));
}

std::optional<std::uint8_t> KnownSupernodes::load_percent(const Endpoint& address) const {
  auto it = live_.find(address);
  if (it == live_.end()) return std::nullopt;
  return it->second.load_percent;
}

std::vector<SupernodeEntry> KnownSupernodes::candidates(TimePoint now, std::span<const Endpoint> exclude,
                                                        std::size_t count) const {
  std::vector<std::pair<TimePoint, SupernodeEntry>> ranked;
  for (const auto& [address, live] : live_) {
    if (std::find(exclude.begin(), exclude.end(), address) != exclude.end()) continue;
    // An age as the wire carries it: whole seconds, never negative, at most what 32 bits hold.
    auto age = std::clamp<std::int64_t>(std::chrono::duration_cast<seconds>(now - live.heard_at).count(), 0,
                                        std::numeric_limits<std::uint32_t>::max());
    ranked.push_back({live.heard_at, {address, live.load_percent, static_cast<std::uint32_t>(age)}});
  }
  // Freshest first, then least loaded, then by address (the map's order, kept by a stable sort).
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    return a.second.load_percent < b.second.load_percent;
  });
  std::vector<SupernodeEntry> best;
  for (std::size_t i = 0; i < ranked.size() && i < count; ++i) best.push_back(ranked[i].second);
  return best;
}

}  // namespace p2p::kazaa
