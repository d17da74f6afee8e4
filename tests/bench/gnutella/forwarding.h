// The forwarding benchmark: one gnutella-servent process, every one of its neighbours played by the
// benchmark, and the Query descriptors per second it passes on.
#pragma once

#include <cstddef>
#include <vector>

namespace p2p::bench {

struct ForwardingSettings {
  std::size_t neighbours = 4;  // links from the benchmark to the servent
  std::size_t senders = 1;     // of them, the ones that send Queries; all of them count what comes out
  std::size_t window = 4096;   // Queries sent and not yet seen forwarded, at most
  std::size_t batch = 64;      // Queries per write
  std::size_t catalogue_files = 1000;
  // The servent shares what one of this many lab servents would (flood.ini has 200): few of the Queries
  // find a match, as in a lab. With 1 it would share the whole catalogue and answer nearly every Query.
  std::size_t lab_servents = 200;
  bool query_seen = true;  // the servent's query_seen telemetry event, which the labs use, on or off
  double seconds = 3;
  int runs = 5;
};

struct ForwardingRun {
  double forwarded_per_s = 0;  // Query descriptors the servent sent, per second of wall time
  double servent_cpu_us = 0;   // servent CPU per forwarded descriptor, in microseconds
  double bench_cpu_share = 0;  // the benchmark's own CPU over the run, in cores
};

struct ForwardingFigures {
  std::vector<ForwardingRun> runs;
  double hits_per_query = 0;  // QueryHits the servent answered with, per Query sent
  std::size_t links_lost = 0;
};

// Starts the servent, links to it, streams Queries with distinct GUIDs and TTL 7 from the senders for a
// warm-up second and then `runs` windows of `seconds`, and stops it.
ForwardingFigures measure_forwarding(const ForwardingSettings& settings);

}  // namespace p2p::bench
