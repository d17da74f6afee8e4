// Overlay: whom a servent connects to, either discovered (bootstrap, pongs, X-Try) or fixed by a lab
// topology.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "common/net/endpoint.h"
#include "common/util/random.h"
#include "common/util/time.h"
#include "gnutella/handshake_session.h"
#include "gnutella/host_cache.h"

namespace p2p::gnutella {

struct OverlayConfig {
  std::size_t degree = 4;      // neighbours the servent dials out for
  std::size_t max_degree = 8;  // beyond this, inbound handshakes get "503 + X-Try"
  std::vector<Endpoint> bootstrap;
  // A lab topology: dial exactly `neighbours` (redialling a lost one), accept whoever dials in, and never
  // dial a host learnt otherwise. degree and max_degree do not apply. A launcher may list each edge at
  // one end (the later node dials the earlier one) or at both.
  bool fixed = false;
  std::vector<Endpoint> neighbours;
  HostCache::Config host_cache;
};

// Decides the shape of the overlay around one servent. Gnutella leaves this to servents (GDF Gnutella 0.6,
// Appendix 3): this one starts from its bootstrap hosts, learns others from pongs, X-Try and Listen-IP into
// its HostCache, and keeps `degree` links by dialling random cached hosts, so a lost neighbour is replaced
// from the cache. Inbound links are welcome up to `max_degree`; past it, the refusal names other hosts,
// this servent's neighbours first.
// When two servents dial each other at once (an edge listed at both ends, or two discoveries crossing),
// both ends keep the link dialled by the end whose address sorts lower, so they always agree.
class Overlay {
 public:
  Overlay(Endpoint self, OverlayConfig config);

  // Puts the bootstrap hosts in the cache.
  void start(TimePoint now);

  // The hosts to dial now. `linked` are the hosts already connected or being dialled (by listening
  // address); `links` counts every neighbour link, established or in its handshake, inbound ones included.
  std::vector<Endpoint> to_dial(Rng& rng, std::span<const Endpoint> linked, std::size_t links, TimePoint now);

  // Whether to accept the CONNECT of `peer` (its Listen-IP, if it gave one), with `links` other neighbour
  // links open or opening: `connected` are the hosts of the established ones, `linked` those of all of them.
  HandshakeSession::Admission admit(const std::optional<Endpoint>& peer, std::size_t links,
                                    std::span<const Endpoint> connected,
                                    std::span<const Endpoint> linked) const;

  // Of two links between the same pair of servents, whether to keep this one: the one dialled by the end
  // whose address sorts lower.
  bool keeps_duplicate(bool we_dialled, const Endpoint& peer) const;

  void learn(const Endpoint& host, TimePoint now) { hosts_.learn(host, now); }
  void dial_succeeded(const Endpoint& host, TimePoint now) { hosts_.connected(host, now); }
  void dial_failed(const Endpoint& host) { hosts_.failed(host); }

  bool fixed() const { return config_.fixed; }
  std::size_t degree() const { return config_.degree; }
  const HostCache& hosts() const { return hosts_; }

 private:
  std::vector<Endpoint> try_hosts(const std::optional<Endpoint>& peer,
                                  std::span<const Endpoint> linked) const;

  Endpoint self_;
  OverlayConfig config_;
  HostCache hosts_;
};

}  // namespace p2p::gnutella
