// The pong cache: per-connection recent pongs and the answer to a ping drawn from them.
#include "gnutella/pong_cache.h"

#include <set>

namespace p2p::gnutella {
namespace {

bool same_host(const Pong& a, const Pong& b) {
  return a.ip == b.ip && a.port == b.port;
}

}  // namespace

void PongCache::add(ConnId from, const Pong& pong, std::uint8_t hops, TimePoint now) {
  std::deque<CachedPong>& pongs = by_connection_[from];
  std::erase_if(pongs, [&](const CachedPong& cached) { return same_host(cached.pong, pong); });
  pongs.push_back(CachedPong{pong, from, hops, now});
  while (pongs.size() > config_.per_connection) pongs.pop_front();
}

std::vector<CachedPong> PongCache::answer(ConnId asker, TimePoint now) const {
  std::vector<CachedPong> chosen;
  std::set<std::pair<std::uint32_t, std::uint16_t>> hosts;
  // Round r takes the r-th newest pong of every connection, until the answer is full or all are used.
  for (std::size_t round = 0; chosen.size() < config_.answer_size; ++round) {
    bool any_left = false;
    for (const auto& [conn, pongs] : by_connection_) {
      if (conn == asker || round >= pongs.size()) continue;
      any_left = true;
      const CachedPong& cached = pongs[pongs.size() - 1 - round];
      if (now - cached.received > config_.max_age) continue;
      if (!hosts.emplace(cached.pong.ip, cached.pong.port).second) continue;
      chosen.push_back(cached);
      if (chosen.size() == config_.answer_size) break;
    }
    if (!any_left) break;
  }
  return chosen;
}

std::size_t PongCache::size() const {
  std::size_t total = 0;
  for (const auto& [conn, pongs] : by_connection_) total += pongs.size();
  return total;
}

}  // namespace p2p::gnutella
