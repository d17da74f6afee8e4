// Placing a lab's nodes on its hosts.
#include "labs/launcher/placement.h"

#include <algorithm>

namespace p2p::labs {

Placement::Placement(const HostsConfig& hosts) : hosts_(hosts.hosts), used_(hosts.hosts.size(), 0) {}

Expected<Placement> Placement::make(const HostsConfig& hosts, const Scenario& scenario,
                                    const std::vector<PlannedNode>& nodes) {
  if (!hosts.spans_hosts()) return make_error("no hosts to place nodes on");
  Placement placement(hosts);
  std::size_t capacity = 0;
  for (const HostSpec& h : hosts.hosts) capacity += h.capacity;
  if (nodes.size() > capacity) {
    return make_error("the lab has " + std::to_string(nodes.size()) + " nodes but its hosts hold only " +
                      std::to_string(capacity) + " (raise a capacity in [hosts] or lower a count)");
  }
  placement.places_.resize(nodes.size());
  for (bool pinned : {true, false}) {
    for (const PlannedNode& node : nodes) {
      const RoleSpec& role = *scenario.role(node.role);
      if (role.host.empty() != !pinned) continue;
      auto place = placement.take(role);
      if (!place) return place.error();
      placement.places_.at(node.index) = *place;
    }
  }
  return placement;
}

Expected<HostSlot> Placement::add(const RoleSpec& role, std::size_t index) {
  auto place = take(role);
  if (!place) return place.error();
  if (places_.size() <= index) places_.resize(index + 1);
  places_[index] = *place;
  return place;
}

Expected<HostSlot> Placement::take(const RoleSpec& role) {
  if (!role.host.empty()) {
    auto it =
        std::find_if(hosts_.begin(), hosts_.end(), [&](const HostSpec& h) { return h.name == role.host; });
    if (it == hosts_.end()) {
      return make_error("role." + role.name + ".host: no host named '" + role.host + "' in [hosts]");
    }
    std::size_t host = static_cast<std::size_t>(it - hosts_.begin());
    if (used_[host] >= it->capacity) {
      return make_error("role." + role.name + ".host: " + role.host + " holds only " +
                        std::to_string(it->capacity) + " nodes");
    }
    return take_on(host);
  }
  std::size_t best = hosts_.size();
  for (std::size_t h = 0; h < hosts_.size(); ++h) {
    if (used_[h] >= hosts_[h].capacity) continue;
    // (used + 1) / capacity compared without division: a * d < c * b for a/b < c/d.
    if (best == hosts_.size() ||
        (used_[h] + 1) * hosts_[best].capacity < (used_[best] + 1) * hosts_[h].capacity) {
      best = h;
    }
  }
  if (best == hosts_.size()) return make_error("every host is full (raise a capacity in [hosts])");
  return take_on(best);
}

HostSlot Placement::take_on(std::size_t host) {
  return HostSlot{host, used_[host]++};
}

}  // namespace p2p::labs
