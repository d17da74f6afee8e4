// Graph generators: the pairing model with redraws, and preferential attachment.
#include "common/graph/generators.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "common/util/random.h"

namespace p2p::graph {
namespace {

// Fresh pairings tried before a random regular graph is given up on.
constexpr int kRegularAttempts = 1000;

void add_edge(Graph& graph, std::size_t a, std::size_t b) {
  graph[a].push_back(b);
  graph[b].push_back(a);
}

bool is_connected(const Graph& graph) {
  if (graph.empty()) return true;
  std::vector<bool> seen(graph.size(), false);
  std::vector<std::size_t> stack = {0};
  seen[0] = true;
  std::size_t count = 1;
  while (!stack.empty()) {
    std::size_t v = stack.back();
    stack.pop_back();
    for (std::size_t w : graph[v]) {
      if (!seen[w]) {
        seen[w] = true;
        ++count;
        stack.push_back(w);
      }
    }
  }
  return count == graph.size();
}

Status check_size(std::size_t n) {
  if (n > kMaxGraphNodes) {
    return make_error("a topology of " + std::to_string(n) + " nodes is more than the " +
                      std::to_string(kMaxGraphNodes) + " allowed");
  }
  return Ok();
}

// One pairing of the half-edges: draws two remaining stubs at random and joins them unless that makes a loop
// or a double edge. When only unusable pairs are left, the attempt fails (an empty graph).
Graph try_pairing(std::size_t n, std::size_t d, Rng& rng) {
  std::vector<std::size_t> stubs;
  for (std::size_t v = 0; v < n; ++v) stubs.insert(stubs.end(), d, v);
  Graph graph(n);
  std::set<std::pair<std::size_t, std::size_t>> edges;
  auto usable = [&](std::size_t a, std::size_t b) { return a != b && !edges.contains(std::minmax(a, b)); };
  while (!stubs.empty()) {
    // Random draws first; they fail only near the end, where the exhaustive check below is cheap.
    bool joined = false;
    for (int draw = 0; draw < 32 && !joined; ++draw) {
      std::size_t i = rng.below(stubs.size());
      std::size_t j = rng.below(stubs.size());
      if (i == j || !usable(stubs[i], stubs[j])) continue;
      edges.insert(std::minmax(stubs[i], stubs[j]));
      add_edge(graph, stubs[i], stubs[j]);
      std::size_t hi = std::max(i, j), lo = std::min(i, j);
      stubs[hi] = stubs.back();
      stubs.pop_back();
      stubs[lo] = stubs.back();
      stubs.pop_back();
      joined = true;
    }
    if (joined) continue;
    bool any = false;
    for (std::size_t i = 0; i < stubs.size() && !any; ++i) {
      for (std::size_t j = i + 1; j < stubs.size() && !any; ++j) any = usable(stubs[i], stubs[j]);
    }
    if (!any) return {};
  }
  return graph;
}

}  // namespace

Expected<Graph> ring_graph(std::size_t n) {
  if (n < 3) return make_error("a ring needs at least 3 nodes, not " + std::to_string(n));
  if (Status size = check_size(n); !size.ok()) return size.error();
  Graph graph(n);
  for (std::size_t v = 0; v < n; ++v) add_edge(graph, v, (v + 1) % n);
  return graph;
}

Expected<Graph> random_regular_graph(std::size_t n, std::size_t d, std::uint64_t seed) {
  if (Status size = check_size(n); !size.ok()) return size.error();
  if (d < 1 || d >= n) {
    return make_error("a random regular graph needs 1 <= degree < nodes, not degree " + std::to_string(d) +
                      " on " + std::to_string(n) + " nodes");
  }
  if ((n * d) % 2 != 0) return make_error("nodes times degree must be even for a regular graph");
  Rng rng(seed);
  for (int attempt = 0; attempt < kRegularAttempts; ++attempt) {
    Graph graph = try_pairing(n, d, rng);
    if (!graph.empty() && is_connected(graph)) return graph;
  }
  return make_error("no connected " + std::to_string(d) + "-regular graph on " + std::to_string(n) +
                    " nodes found in " + std::to_string(kRegularAttempts) + " attempts");
}

Expected<Graph> barabasi_albert_graph(std::size_t n, std::size_t m, std::uint64_t seed) {
  if (Status size = check_size(n); !size.ok()) return size.error();
  if (m < 1 || m >= n) {
    return make_error("a Barabasi-Albert graph needs 1 <= m < nodes, not m " + std::to_string(m) + " on " +
                      std::to_string(n) + " nodes");
  }
  Rng rng(seed);
  Graph graph(n);
  // Every edge puts both its ends here, so a uniform pick from it is a pick proportional to degree.
  std::vector<std::size_t> ends;
  auto link = [&](std::size_t a, std::size_t b) {
    add_edge(graph, a, b);
    ends.push_back(a);
    ends.push_back(b);
  };
  for (std::size_t a = 0; a <= m; ++a) {
    for (std::size_t b = a + 1; b <= m; ++b) link(a, b);
  }
  for (std::size_t v = m + 1; v < n; ++v) {
    std::set<std::size_t> targets;
    while (targets.size() < m) targets.insert(rng.pick(ends));
    for (std::size_t target : targets) link(v, target);
  }
  return graph;
}

}  // namespace p2p::graph
