// Graph generators: seeded ring, random d-regular and Barabasi-Albert graphs, the overlays the lab launcher
// lays nodes on (labs/launcher/overlay_plan.h gives each node the neighbours it dials).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/util/expected.h"

namespace p2p::graph {

// An undirected simple graph as adjacency lists: graph[v] holds v's neighbours, each edge at both ends.
using Graph = std::vector<std::vector<std::size_t>>;

// The largest graph a lab may ask for: a cap, so a scenario typo cannot make the launcher allocate forever.
inline constexpr std::size_t kMaxGraphNodes = 100'000;

// Node v linked to v+1, and the last to the first: every node has degree 2 (n >= 3).
Expected<Graph> ring_graph(std::size_t n);

// A uniformly-ish random connected d-regular simple graph (n*d even, 1 <= d < n), by the configuration model:
// n*d half-edges paired at random, a pair that would make a loop or a double edge redrawn, and the whole
// pairing started again when it gets stuck or the graph is not connected (at most a bounded number of
// times). Connectivity is asked for because a lab's flood would otherwise measure its islands.
Expected<Graph> random_regular_graph(std::size_t n, std::size_t d, std::uint64_t seed);

// A Barabasi-Albert power-law graph (Science 286, 1999): a clique of m+1 nodes, then each new node links to
// m distinct earlier nodes chosen with probability proportional to their degree (1 <= m, m < n). Connected;
// node v >= m+1 has degree >= m, and there are m(m+1)/2 + (n-m-1)m edges.
Expected<Graph> barabasi_albert_graph(std::size_t n, std::size_t m, std::uint64_t seed);

}  // namespace p2p::graph
