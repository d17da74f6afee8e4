// Overlay topologies of lab roles: reading the spec, drawing the graph, and whom a starting node dials.
#include "labs/launcher/overlay_plan.h"

#include <algorithm>

#include "labs/launcher/text.h"

namespace p2p::labs {
namespace {

constexpr std::size_t kRingNewcomerLinks = 2;

}  // namespace

Expected<TopologySpec> TopologySpec::parse(std::string_view text) {
  std::string_view trimmed = trim(text);
  if (trimmed == "none" || trimmed.empty()) return TopologySpec{};
  if (trimmed == "ring") return TopologySpec{Kind::Ring, kRingNewcomerLinks};
  auto colon = trimmed.find(':');
  std::string_view name = trimmed.substr(0, colon);
  Kind kind;
  if (name == "regular") {
    kind = Kind::Regular;
  } else if (name == "ba") {
    kind = Kind::BarabasiAlbert;
  } else if (name == "random") {
    kind = Kind::Random;
  } else {
    return make_error("unknown topology '" + std::string(trimmed) +
                      "' (expected none, ring, regular:D, ba:M or random:K)");
  }
  if (colon == std::string_view::npos) {
    return make_error("topology '" + std::string(trimmed) + "' needs its number of links, as in " +
                      std::string(name) + ":4");
  }
  auto links = parse_count(trimmed.substr(colon + 1), "topology " + std::string(name));
  if (!links) return links.error();
  if (*links == 0) return make_error("topology '" + std::string(trimmed) + "': at least one link");
  return TopologySpec{kind, *links};
}

Expected<RoleOverlay> RoleOverlay::make(const TopologySpec& spec, std::size_t nodes, std::uint64_t seed) {
  Expected<graph::Graph> drawn = graph::Graph{};
  switch (spec.kind) {
    case TopologySpec::Kind::Ring:
      drawn = graph::ring_graph(nodes);
      break;
    case TopologySpec::Kind::Regular:
      drawn = graph::random_regular_graph(nodes, spec.links, seed);
      break;
    case TopologySpec::Kind::BarabasiAlbert:
      drawn = graph::barabasi_albert_graph(nodes, spec.links, seed);
      break;
    case TopologySpec::Kind::None:
    case TopologySpec::Kind::Random:
      break;
  }
  if (!drawn) return drawn.error();
  return RoleOverlay(spec, std::move(drawn).value());
}

std::optional<std::vector<std::size_t>> RoleOverlay::to_dial(std::size_t self,
                                                             const std::vector<PeerState>& peers,
                                                             Rng& rng) const {
  if (self >= graph_.size()) return random_peers(self, peers, rng);
  std::vector<std::size_t> dial;
  for (std::size_t w : graph_[self]) {
    PeerState state = w < peers.size() ? peers[w] : PeerState::Stopped;
    if (state == PeerState::Starting) return std::nullopt;
    if (state == PeerState::Listening) dial.push_back(w);
  }
  std::sort(dial.begin(), dial.end());
  return dial;
}

std::optional<std::vector<std::size_t>> RoleOverlay::random_peers(std::size_t self,
                                                                  const std::vector<PeerState>& peers,
                                                                  Rng& rng) const {
  std::vector<std::size_t> listening;
  bool starting = false;
  for (std::size_t i = 0; i < peers.size(); ++i) {
    if (i == self) continue;
    if (peers[i] == PeerState::Listening) listening.push_back(i);
    if (peers[i] == PeerState::Starting) starting = true;
  }
  // The first nodes of a lab wait for each other rather than start alone: a node given no one to dial is
  // an island that no pong will ever name.
  if (listening.empty() && starting) return std::nullopt;
  rng.shuffle(listening);
  listening.resize(std::min(listening.size(), spec_.links));
  std::sort(listening.begin(), listening.end());
  return listening;
}

}  // namespace p2p::labs
