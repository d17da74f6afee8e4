// HostCache: the servents this one has heard of, from which it dials new neighbours.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "common/net/endpoint.h"
#include "common/util/random.h"
#include "common/util/time.h"

namespace p2p::gnutella {

// The protocol does not say how a servent finds peers beyond the first (GDF Gnutella 0.6, Appendix 3):
// a servent learns addresses from pongs and from X-Try headers, and keeps them here, capped. When a
// neighbour is lost it picks a host at random, preferring hosts that have not failed, so the overlay stays
// a random graph rather than everyone dialling the same newest host. Hosts that keep failing are dropped.
class HostCache {
 public:
  struct Config {
    std::size_t capacity = 1000;
    unsigned max_failures = 3;
  };

  explicit HostCache(Endpoint self) : HostCache(std::move(self), Config{}) {}
  HostCache(Endpoint self, Config config) : self_(std::move(self)), config_(config) {}

  // Remembers `host` as seen at `now`. Ignores this servent itself and addresses that cannot be dialled
  // (IP or port 0). When full, the host with the most failures, then the one heard of longest ago, goes.
  // Returns whether the host is in the cache afterwards.
  bool learn(const Endpoint& host, TimePoint now);
  // A connection to `host` worked: its failures are forgiven and it counts as just seen.
  void connected(const Endpoint& host, TimePoint now);
  // A connection to `host` failed or was refused; after max_failures the host is forgotten.
  void failed(const Endpoint& host);
  void forget(const Endpoint& host) { hosts_.erase(host); }

  // A host to dial, not in `exclude` (current neighbours, dials in progress): uniform among the hosts
  // with the fewest failures. nullopt if there is none.
  std::optional<Endpoint> pick(Rng& rng, std::span<const Endpoint> exclude) const;
  // The `count` most recently seen hosts, newest first, for an X-Try header.
  std::vector<Endpoint> freshest(std::size_t count) const;

  bool contains(const Endpoint& host) const { return hosts_.contains(host); }
  std::size_t size() const { return hosts_.size(); }

 private:
  struct Entry {
    TimePoint seen;
    unsigned failures = 0;
  };

  Endpoint self_;
  Config config_;
  // Ordered, so that a seeded pick is the same on every run.
  std::map<Endpoint, Entry> hosts_;
};

}  // namespace p2p::gnutella
