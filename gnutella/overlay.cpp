// Overlay maintenance: dialling toward the target degree, admitting inbound links, fixed topologies.
#include "gnutella/overlay.h"

#include <algorithm>

#include "gnutella/handshake.h"

namespace p2p::gnutella {

Overlay::Overlay(Endpoint self, OverlayConfig config)
    : self_(self), config_(std::move(config)), hosts_(self, config_.host_cache) {}

void Overlay::start(TimePoint now) {
  for (const Endpoint& host : config_.bootstrap) hosts_.learn(host, now);
  for (const Endpoint& host : config_.neighbours) hosts_.learn(host, now);
}

std::vector<Endpoint> Overlay::to_dial(Rng& rng, std::span<const Endpoint> linked, std::size_t links,
                                       TimePoint now) {
  auto is_linked = [&](const Endpoint& host) {
    return std::find(linked.begin(), linked.end(), host) != linked.end();
  };
  std::vector<Endpoint> dials;
  if (config_.fixed) {
    for (const Endpoint& host : config_.neighbours) {
      if (!is_linked(host)) dials.push_back(host);
    }
    return dials;
  }
  if (links >= config_.degree) return dials;
  std::vector<Endpoint> exclude(linked.begin(), linked.end());
  // Alone with nothing left to try (every cached host failed): start over from the bootstrap hosts.
  if (links == 0 && !hosts_.pick(rng, exclude)) {
    for (const Endpoint& host : config_.bootstrap) hosts_.learn(host, now);
  }
  while (links + dials.size() < config_.degree) {
    auto host = hosts_.pick(rng, exclude);
    if (!host) break;
    dials.push_back(*host);
    exclude.push_back(*host);
  }
  return dials;
}

HandshakeSession::Admission Overlay::admit(const std::optional<Endpoint>& peer, std::size_t links,
                                           std::span<const Endpoint> connected,
                                           std::span<const Endpoint> linked) const {
  HandshakeSession::Admission admission;
  bool already = peer && std::find(connected.begin(), connected.end(), *peer) != connected.end();
  if (already) {
    admission = {false, "already connected", {}};
  } else if (!config_.fixed && links >= config_.max_degree) {
    admission = {false, "full with " + std::to_string(links) + " neighbours", {}};
  }
  if (!admission.accept) admission.try_hosts = try_hosts(peer, linked);
  return admission;
}

// The hosts most likely to take the newcomer: this servent's own neighbours, linked or linking right now
// and so alive, then the hosts heard of most recently. Naming only the freshest hosts would send every
// newcomer to the other newcomers: when a lab starts all its servents at once, the overlay would split into
// the bootstrap host's cluster and one of everyone else, and no pong would ever cross between the two.
std::vector<Endpoint> Overlay::try_hosts(const std::optional<Endpoint>& peer,
                                         std::span<const Endpoint> linked) const {
  std::vector<Endpoint> hosts;
  auto offer = [&](const Endpoint& host) {
    bool fresh = host != peer && std::find(hosts.begin(), hosts.end(), host) == hosts.end();
    if (fresh && hosts.size() < kMaxTryHosts) hosts.push_back(host);
  };
  for (const Endpoint& host : linked) offer(host);
  for (const Endpoint& host : hosts_.freshest(kMaxTryHosts + linked.size() + 1)) offer(host);
  return hosts;
}

bool Overlay::keeps_duplicate(bool we_dialled, const Endpoint& peer) const {
  return we_dialled ? self_ < peer : peer < self_;
}

}  // namespace p2p::gnutella
