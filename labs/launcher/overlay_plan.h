// A role's overlay topology (role.NAME.topology): the graph a scenario asks for, and whom each node of the
// role is told to dial when it starts ({neighbours} in its args).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/graph/generators.h"
#include "common/util/expected.h"
#include "common/util/random.h"

namespace p2p::labs {

// What the scenario says, as `role.NAME.topology`:
//   none         no {neighbours} (the default)
//   ring         node i linked to i-1 and i+1, the last to the first
//   regular:D    a connected random D-regular graph (the configuration model)
//   ba:M         a Barabasi-Albert power-law graph, M links per newcomer
//   random:K     no graph: each node starts from K running nodes of its role picked at random, the natural
//                bootstrap-and-discover overlay (the node learns the rest from pongs)
struct TopologySpec {
  enum class Kind { None, Ring, Regular, BarabasiAlbert, Random };
  Kind kind = Kind::None;
  std::size_t links = 0;  // D, M or K

  static Expected<TopologySpec> parse(std::string_view text);
  bool none() const { return kind == Kind::None; }
};

// What the launcher knows of another node of the role when one of them starts.
enum class PeerState {
  Stopped,   // not started yet, or gone: it will dial this node itself when it starts
  Starting,  // its process runs but has not said where it listens yet
  Listening  // up, with a known endpoint
};

// A role's overlay for one run: its graph over the role's initial nodes, drawn once from the run's seed, and
// the rule that gives every node the neighbours to dial. An edge is dialled by whichever end starts last, so
// no node ever dials one that is not there, and nodes start in waves instead of one after another: a
// starting node dials every graph neighbour already listening and waits only while one is starting (its
// endpoint is about to be known; dialling it later would be that neighbour's job, but it has already
// started without this one). Nodes spawned beyond the graph, and every node of `random:K`, dial K running
// nodes picked at random (K: the spec's links, 2 for a ring), the way a newcomer joins.
class RoleOverlay {
 public:
  // Fails when the graph cannot be drawn (a regular graph with nodes * D odd, D >= nodes, ...).
  static Expected<RoleOverlay> make(const TopologySpec& spec, std::size_t nodes, std::uint64_t seed);

  // The role's nodes (by index in the role) that node `self` must dial now, or nothing while it must wait.
  // `peers[i]` is the state of the role's node i, for every node the role has so far (self included).
  // `rng` draws the random picks.
  std::optional<std::vector<std::size_t>> to_dial(std::size_t self, const std::vector<PeerState>& peers,
                                                  Rng& rng) const;

  const graph::Graph& graph() const { return graph_; }

 private:
  RoleOverlay(TopologySpec spec, graph::Graph graph) : spec_(spec), graph_(std::move(graph)) {}
  std::optional<std::vector<std::size_t>> random_peers(std::size_t self, const std::vector<PeerState>& peers,
                                                       Rng& rng) const;

  TopologySpec spec_;
  graph::Graph graph_;  // empty for random:K
};

}  // namespace p2p::labs
