// How the supervisor fills a node's args with the endpoints of others: a named node, a role's first or all
// of its running nodes, and the overlay's neighbours (overlay_plan.h); and where a node itself listens.
#include "labs/launcher/free_port.h"
#include "labs/launcher/supervisor.h"

namespace p2p::labs {

std::size_t Supervisor::index_in_role(const Node& node) {
  return std::stoul(node.plan.id.substr(node.plan.role.size() + 1));
}

std::optional<std::string> Supervisor::lookup(const Node& node, const Placeholder& p) const {
  // A node that has run and stopped keeps its address, since a restart takes its port back: a node naming it
  // starts and finds it down, as a client whose tracker died would (labs/07-trackerless).
  auto listen_of = [&](const std::string& id) -> std::optional<std::string> {
    auto it = nodes_.find(id);
    if (it == nodes_.end()) return std::nullopt;
    const Node& other = it->second;
    bool stopped = other.starts > 0 && !running(other) && !other.listen.empty();
    if (!other.listening && !stopped) return std::nullopt;
    return other.listen;
  };
  switch (p.kind) {
    case Placeholder::Kind::Node:
      return listen_of(p.name);
    case Placeholder::Kind::FirstOfRole:
      return listen_of(node_id(p.name, 0));
    case Placeholder::Kind::AllOfRole: {
      std::string all;
      for (const std::string& id : order_) {
        const Node& other = nodes_.at(id);
        if (other.plan.role != p.name || !other.listening || !running(other) || id == node.plan.id) continue;
        all += (all.empty() ? "" : ",") + other.listen;
      }
      return all;
    }
    case Placeholder::Kind::SystemKey:
      return scenario_.system_keys.at(p.name);
    case Placeholder::Kind::Neighbours:
      return neighbours_of(node);
    case Placeholder::Kind::Builtin:
      return builtin_value(scenario_, node.plan, p.name,
                           node.place ? settings_.remote->out_dir(node.place->host) : settings_.out_dir);
  }
  return std::nullopt;
}

// The role's nodes as the overlay sees them, then the endpoints of those this node dials (overlay_plan.h).
std::optional<std::string> Supervisor::neighbours_of(const Node& node) const {
  std::vector<PeerState> peers(per_role_.at(node.plan.role), PeerState::Stopped);
  std::vector<const Node*> by_index(peers.size(), nullptr);
  for (const std::string& id : order_) {
    const Node& other = nodes_.at(id);
    if (other.plan.role != node.plan.role) continue;
    std::size_t i = index_in_role(other);
    by_index[i] = &other;
    if (other.state == ProcessState::Up)
      peers[i] = other.listening ? PeerState::Listening : PeerState::Starting;
  }
  // The random picks replay from the seed: one stream per node and life (the graphs use the role's index).
  Rng rng = Rng::for_node(stream(scenario_.seed, Stream::Topology, kPerNodeStreams + node.plan.index).next(),
                          node.starts);
  auto dial = overlays_.at(node.plan.role).to_dial(index_in_role(node), peers, rng);
  if (!dial) return std::nullopt;
  std::string list;
  for (std::size_t i : *dial) list += (list.empty() ? "" : ",") + by_index[i]->listen;
  return list;
}

// A node listens where it did before (or at its --first-port place) if it can. When another process holds
// that port (a test's listener, or another node's outgoing connection that the system gave that port), the
// node would fail to bind and exit; it takes a new port instead, which the others learn as they learn any
// node's (learn_endpoints, on_record): those that start later are told the new one. A node killed a moment
// ago may still hold its port for some milliseconds after it was reaped (a test bind failed for up to 50 ms),
// so a taken port is tried again at the next ticks for kPortGrace before it is given up. Remote nodes keep
// their planned ports, since their hosts' ports cannot be checked from here.
bool Supervisor::port_settled(Node& node) {
  if (node.place || node.listen.empty()) return true;
  auto at = Endpoint::parse(node.listen);
  if (!at || port_is_free(*at)) return true;
  if (clock_() - node.waiting_since < kPortGrace) return false;
  notice_(node.plan.id + ": " + node.listen + " is taken by another process; it listens on a new port");
  node.listen.clear();
  return true;
}

}  // namespace p2p::labs
