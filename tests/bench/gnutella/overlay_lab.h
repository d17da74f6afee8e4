// The overlay benchmark: hundreds of gnutella-servent processes bootstrapping on loopback, the time until
// every one holds its target degree, and one TTL-7 query flooded across them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace p2p::bench {

struct OverlaySettings {
  std::size_t servents = 500;
  std::size_t degree = 4;
  std::size_t max_degree = 8;
  std::size_t catalogue_files = 1000;
  std::size_t files_per_node = 10;
  std::uint8_t ttl = 7;
  double settle_limit = 300;  // seconds; an overlay not settled by then is reported as it is
  bool keep = false;          // keep the folder with the servents' telemetry (events.jsonl)
};

struct OverlayFigures {
  std::string folder;          // where events.jsonl was written
  double spawn_s = 0;          // to start every process
  double up_s = -1;            // until every servent had published its first telemetry record
  double settled_s = -1;       // until every servent's status showed `degree` neighbours at once; -1 if never
  std::size_t at_degree = 0;   // servents at their degree when the benchmark stopped waiting
  std::size_t up = 0;          // servents that published telemetry
  double servent_rss_mib = 0;  // median RSS of a servent once settled
  double machine_load = 0;     // the 1-minute load average once settled
  std::size_t components = 0;  // connected components of the overlay, from the servents' statuses
  std::size_t edges = 0;

  // The TTL-7 query, sent by the benchmark to `degree` servents as a servent sends its own.
  std::size_t query_links = 0;         // servents the query was sent to
  std::size_t reached = 0;             // servents that processed it (query_seen)
  std::size_t bfs_reachable = 0;       // servents within TTL hops of the benchmark, by BFS on the overlay
  std::uint64_t query_messages = 0;    // Query descriptors sent, the benchmark's included
  std::uint64_t hit_messages = 0;      // QueryHit descriptors sent on their way back
  std::size_t hits = 0;                // QueryHits that reached the benchmark
  double flood_ms = -1;                // until the last servent processed it (wall clocks of one host)
  std::optional<double> first_hit_ms;  // until the first QueryHit came back
  std::optional<double> last_hit_ms;
  int max_hops = 0;  // the farthest servent it reached, in hops
};

// Runs the lab, measures, and stops every servent it started.
OverlayFigures measure_overlay(const OverlaySettings& settings);

}  // namespace p2p::bench
