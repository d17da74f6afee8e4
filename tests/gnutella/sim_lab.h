// Helpers for the Gnutella SimNet tests: lab graphs, their independent BFS counts, and fixed-topology
// overlays.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <vector>

#include "common/content/catalogue.h"
#include "common/graph/generators.h"
#include "common/sim/sim_net.h"
#include "gnutella/servent.h"

namespace p2p::gnutella::testing {

using graph::Graph;

inline void add_edge(Graph& graph, std::size_t a, std::size_t b) {
  graph[a].push_back(b);
  graph[b].push_back(a);
}

// The lab's own generators (common/graph/generators.h), which cannot fail for the sizes the tests ask.
inline Graph ring(std::size_t n) {
  return graph::ring_graph(n).value();
}
inline Graph random_regular(std::size_t n, std::size_t d, std::uint64_t seed) {
  return graph::random_regular_graph(n, d, seed).value();
}

// A small graph with triangles, a square and two tails, drawn so that some nodes have several shortest
// paths to others:
//        1 --- 3 --- 5 --- 7 --- 9
//      / |     |     |     |
//     0  |     |     6 --- 8
//      \ |     |
//        2 --- 4 --- 10 --- 11
inline Graph hand_made() {
  Graph graph(12);
  for (auto [a, b] : std::vector<std::pair<std::size_t, std::size_t>>{{0, 1},
                                                                      {0, 2},
                                                                      {1, 2},
                                                                      {1, 3},
                                                                      {2, 4},
                                                                      {3, 4},
                                                                      {3, 5},
                                                                      {5, 6},
                                                                      {5, 7},
                                                                      {6, 8},
                                                                      {7, 8},
                                                                      {7, 9},
                                                                      {4, 10},
                                                                      {10, 11}}) {
    add_edge(graph, a, b);
  }
  return graph;
}

// Hop distances from `source`, by breadth-first search; unreachable nodes are SIZE_MAX.
inline std::vector<std::size_t> distances(const Graph& graph, std::size_t source) {
  std::vector<std::size_t> dist(graph.size(), SIZE_MAX);
  std::queue<std::size_t> frontier;
  dist[source] = 0;
  frontier.push(source);
  while (!frontier.empty()) {
    std::size_t v = frontier.front();
    frontier.pop();
    for (std::size_t w : graph[v]) {
      if (dist[w] == SIZE_MAX) {
        dist[w] = dist[v] + 1;
        frontier.push(w);
      }
    }
  }
  return dist;
}

// The Query descriptors a flood with `ttl` sends, counted from the graph alone, layer by layer: the source
// sends one copy to each neighbour; a node first reached at distance d < ttl passes one copy to each
// neighbour but the one it heard it from; a node at distance ttl passes nothing on.
inline std::size_t flood_messages(const Graph& graph, std::size_t source, std::size_t ttl) {
  std::vector<std::size_t> dist = distances(graph, source);
  std::size_t messages = graph[source].size();
  for (std::size_t v = 0; v < graph.size(); ++v) {
    if (v != source && dist[v] != SIZE_MAX && dist[v] < ttl) messages += graph[v].size() - 1;
  }
  return messages;
}

// The nodes a flood with `ttl` reaches: those 1 to ttl hops from the source.
inline std::set<std::size_t> flood_reach(const Graph& graph, std::size_t source, std::size_t ttl) {
  std::vector<std::size_t> dist = distances(graph, source);
  std::set<std::size_t> reached;
  for (std::size_t v = 0; v < graph.size(); ++v) {
    if (dist[v] >= 1 && dist[v] != SIZE_MAX && dist[v] <= ttl) reached.insert(v);
  }
  return reached;
}

// SimNet gives node i the address 127.1.0.0 + i, port 6000; a fixed topology needs them before the nodes
// exist. The lab checks the assumption as it adds each node.
inline Endpoint sim_address(std::size_t index) {
  return Endpoint::from_ipv4(((127u << 24) | (1u << 16)) + static_cast<std::uint32_t>(index), 6000);
}

inline LinkConfig test_link() {
  return {0, 0, std::chrono::milliseconds(10)};
}

// A small catalogue whose files download in a moment.
inline std::shared_ptr<const content::Catalogue> small_catalogue() {
  content::CatalogueConfig config;
  config.files = 50;
  config.min_size = 1024;
  config.max_size = 64 * 1024;
  config.seed = 3;
  return std::make_shared<const content::Catalogue>(content::Catalogue::generate(config).value());
}

inline std::string node_name(std::size_t index) {
  return "n" + std::to_string(index);
}

// Starts one servent per node of `graph`, each given its graph neighbours as a fixed topology, tuned by
// `tune` (TTL, shared files...). With `both_ends`, each edge is listed at both of its nodes; otherwise only
// at the later one, as a launcher that knows only the addresses of nodes already started would do.
// Returns false if the links are not all up within 10 s.
inline bool start_fixed_overlay(sim::SimNet& net, const Graph& graph,
                                const std::shared_ptr<const content::Catalogue>& catalogue,
                                const std::function<void(std::size_t, ServentConfig&)>& tune,
                                bool both_ends = true) {
  for (std::size_t v = 0; v < graph.size(); ++v) {
    ServentConfig config;
    config.catalogue = catalogue;
    config.overlay.fixed = true;
    for (std::size_t w : graph[v]) {
      if (both_ends || w < v) config.overlay.neighbours.push_back(sim_address(w));
    }
    tune(v, config);
    sim::NodeIndex index = net.add_node(
        node_name(v), test_link(), [config](Runtime& rt) { return std::make_unique<Servent>(rt, config); });
    if (net.endpoint(index) != sim_address(v)) return false;
  }
  bool linked = net.run_until(
      [&] {
        for (std::size_t v = 0; v < graph.size(); ++v) {
          if (net.core_as<Servent>(v).neighbours().size() != graph[v].size()) return false;
        }
        return true;
      },
      std::chrono::seconds(10));
  // Edges listed at both ends are dialled from both: let the duplicate links close before anyone counts.
  net.run_for(std::chrono::seconds(1));
  return linked;
}

// The events named `name` in the run's records, with the index of the node that published each.
struct NodeEvent {
  std::size_t node;
  nlohmann::json data;
};
inline std::vector<NodeEvent> events_named(const sim::SimNet& net, std::string_view name) {
  std::vector<NodeEvent> found;
  for (const nlohmann::json& record : net.records()) {
    if (record.value("kind", "") != "event" || record.value("event", "") != name) continue;
    std::string node = record.value("node", "");
    if (node.size() < 2 || node[0] != 'n') continue;
    found.push_back({std::stoul(node.substr(1)), record["data"]});
  }
  return found;
}

}  // namespace p2p::gnutella::testing
