// The host cache: learning, forgetting and picking Gnutella hosts.
#include "gnutella/host_cache.h"

#include <algorithm>

namespace p2p::gnutella {

bool HostCache::learn(const Endpoint& host, TimePoint now) {
  if (host == self_ || host.port == 0 || host.ipv4() == 0) return false;
  if (auto it = hosts_.find(host); it != hosts_.end()) {
    it->second.seen = std::max(it->second.seen, now);
    return true;
  }
  if (config_.capacity == 0) return false;
  if (hosts_.size() >= config_.capacity) {
    auto worst = std::max_element(hosts_.begin(), hosts_.end(), [](const auto& a, const auto& b) {
      if (a.second.failures != b.second.failures) return a.second.failures < b.second.failures;
      return a.second.seen > b.second.seen;
    });
    hosts_.erase(worst);
  }
  hosts_.emplace(host, Entry{now, 0});
  return true;
}

void HostCache::connected(const Endpoint& host, TimePoint now) {
  if (learn(host, now)) hosts_[host].failures = 0;
}

void HostCache::failed(const Endpoint& host) {
  auto it = hosts_.find(host);
  if (it == hosts_.end()) return;
  if (++it->second.failures >= config_.max_failures) hosts_.erase(it);
}

std::optional<Endpoint> HostCache::pick(Rng& rng, std::span<const Endpoint> exclude) const {
  std::vector<const Endpoint*> best;
  unsigned fewest = config_.max_failures;
  for (const auto& [host, entry] : hosts_) {
    if (std::find(exclude.begin(), exclude.end(), host) != exclude.end()) continue;
    if (entry.failures < fewest) {
      fewest = entry.failures;
      best.clear();
    }
    if (entry.failures == fewest) best.push_back(&host);
  }
  if (best.empty()) return std::nullopt;
  return *best[rng.below(best.size())];
}

std::vector<Endpoint> HostCache::freshest(std::size_t count) const {
  std::vector<std::pair<TimePoint, const Endpoint*>> by_age;
  by_age.reserve(hosts_.size());
  for (const auto& [host, entry] : hosts_) by_age.emplace_back(entry.seen, &host);
  count = std::min(count, by_age.size());
  // Newest first; ties keep the map's order, so the list is the same on every run.
  std::partial_sort(by_age.begin(), by_age.begin() + static_cast<std::ptrdiff_t>(count), by_age.end(),
                    [](const auto& a, const auto& b) {
                      return a.first > b.first || (a.first == b.first && *a.second < *b.second);
                    });
  std::vector<Endpoint> hosts;
  for (std::size_t i = 0; i < count; ++i) hosts.push_back(*by_age[i].second);
  return hosts;
}

}  // namespace p2p::gnutella
