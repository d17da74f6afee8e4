// bench-gnutella: a gnutella-servent process's forwarding rate with every neighbour played by the benchmark,
// then an overlay of hundreds of servent processes on loopback: the time until every servent holds its
// target degree, and the messages and wall time of one TTL-7 query across it. Prints figures; passes or
// fails nothing.
#include <iomanip>
#include <iostream>
#include <thread>

#include "common/host/cli.h"
#include "tests/bench/bench_util.h"
#include "tests/bench/gnutella/forwarding.h"
#include "tests/bench/gnutella/overlay_lab.h"

namespace p2p::bench {
namespace {

constexpr double kForwardingGoal = 100'000;  // descriptors per second (issue 6)

void report_forwarding(const ForwardingSettings& s) {
  double load = load_average().one;
  ForwardingFigures f = measure_forwarding(s);
  std::vector<double> rates, cpu, bench_cpu;
  for (const ForwardingRun& run : f.runs) {
    rates.push_back(run.forwarded_per_s);
    cpu.push_back(run.servent_cpu_us);
    bench_cpu.push_back(run.bench_cpu_share);
  }
  std::cout << std::fixed << std::setprecision(0) << "forwarding: " << median(rates)
            << " Query descriptors/s forwarded by one servent, median of " << s.runs << " runs of "
            << std::setprecision(1) << s.seconds << " s (goal: >= " << std::setprecision(0) << kForwardingGoal
            << "/s); " << s.neighbours << " neighbours, " << s.senders
            << " sending TTL-7 Queries with distinct GUIDs, " << s.neighbours - 1
            << " copies each; servent CPU " << std::setprecision(2) << median(cpu)
            << " us per forwarded descriptor; benchmark " << median(bench_cpu) << " cores; "
            << f.hits_per_query << " QueryHits per Query; query_seen events " << (s.query_seen ? "on" : "off")
            << "; load average " << load << " before\n";
  if (f.links_lost > 0) std::cout << "forwarding: " << f.links_lost << " links were closed by the servent\n";
}

void report_overlay(const OverlaySettings& s) {
  double load = load_average().one;
  OverlayFigures f = measure_overlay(s);
  std::cout << std::fixed << std::setprecision(1) << "overlay: " << s.servents
            << " gnutella-servent processes (degree " << s.degree << ", max " << s.max_degree
            << ", all bootstrapping from servent-0) started in " << f.spawn_s << " s; ";
  if (f.up_s >= 0) {
    std::cout << "all up (telemetry flowing) after " << f.up_s << " s; ";
  } else {
    std::cout << "only " << f.up << " ever up; ";
  }
  if (f.settled_s >= 0) {
    std::cout << "settled after " << f.settled_s << " s";
  } else {
    std::cout << "NOT settled within " << s.settle_limit << " s (" << f.at_degree << " at degree)";
  }
  std::cout << " (settled: the latest status of every servent, published each 500 ms, shows >= " << s.degree
            << " established neighbours, counted from the first spawn); " << f.edges << " links, "
            << f.components << " component(s); servent RSS median " << f.servent_rss_mib
            << " MiB; load average " << load << " before, " << f.machine_load << " settled\n";
  std::cout << "query: TTL " << int{s.ttl} << " from the benchmark linked to " << f.query_links
            << " servents: reached " << f.reached << " servents (" << f.bfs_reachable << " within "
            << int{s.ttl} << " hops by BFS on the overlay; farthest at hop " << f.max_hops << ") with "
            << f.query_messages << " Query descriptors ("
            << f.query_messages - std::min<std::uint64_t>(f.reached, f.query_messages)
            << " of them duplicates), last servent after " << std::setprecision(0) << f.flood_ms << " ms; "
            << f.hits << " QueryHits back with " << f.hit_messages << " QueryHit descriptors";
  if (f.first_hit_ms)
    std::cout << ", first after " << *f.first_hit_ms << " ms, last after " << *f.last_hit_ms << " ms";
  std::cout << "\n";
  if (s.keep) std::cout << "telemetry kept in " << f.folder << "/events.jsonl\n";
}

}  // namespace
}  // namespace p2p::bench

int main(int argc, char** argv) {
  using namespace p2p;
  CliSpec spec = bench::cli_spec(
      "bench-gnutella",
      "A gnutella-servent's Query forwarding rate over loopback (median of several runs), then an overlay of "
      "servent processes: the time until it settles at its degree, and one TTL-7 query across it.");
  bench::ForwardingSettings fw;
  bench::OverlaySettings ov;
  bool skip_forwarding = false, skip_overlay = false, no_query_seen = false;
  unsigned ttl = ov.ttl;
  // clang-format off
  spec.options.add_options()
      ("neighbours", po::value(&fw.neighbours)->default_value(fw.neighbours), "forwarding: links to the servent")
      ("senders", po::value(&fw.senders)->default_value(fw.senders), "forwarding: links that send Queries")
      ("window", po::value(&fw.window)->default_value(fw.window), "forwarding: Queries in flight, at most")
      ("seconds", po::value(&fw.seconds)->default_value(fw.seconds), "forwarding: length of each run")
      ("runs", po::value(&fw.runs)->default_value(fw.runs), "forwarding: runs; the median is reported")
      ("no-query-seen", po::bool_switch(&no_query_seen), "forwarding: the servent reports no query_seen events")
      ("servents", po::value(&ov.servents)->default_value(ov.servents), "overlay: servent processes")
      ("degree", po::value(&ov.degree)->default_value(ov.degree), "overlay: each servent's target degree")
      ("max-degree", po::value(&ov.max_degree)->default_value(ov.max_degree), "overlay: links a servent accepts")
      ("ttl", po::value(&ttl)->default_value(ttl), "overlay: TTL of the query")
      ("settle-limit", po::value(&ov.settle_limit)->default_value(ov.settle_limit), "overlay: seconds to wait for it to settle")
      ("keep", po::bool_switch(&ov.keep), "overlay: keep the servents' telemetry (events.jsonl)")
      ("forwarding-only", po::bool_switch(&skip_overlay), "measure only the forwarding rate")
      ("overlay-only", po::bool_switch(&skip_forwarding), "measure only the overlay");
  // clang-format on
  parse_cli(argc, argv, spec);
  fw.query_seen = !no_query_seen;
  if (fw.neighbours < 2 || fw.senders == 0 || fw.senders >= fw.neighbours)
    fail_setup(spec.program, "--senders must be at least 1 and below --neighbours");
  if (fw.window == 0 || fw.runs < 1 || !(fw.seconds > 0))
    fail_setup(spec.program, "--window, --runs and --seconds must be positive");
  if (ov.servents < 2 || ov.degree == 0 || ov.max_degree < ov.degree || !(ov.settle_limit > 0))
    fail_setup(spec.program, "--servents at least 2, --degree at least 1 and at most --max-degree");
  if (ttl < 1 || ttl > 15) fail_setup(spec.program, "--ttl: 1 to 15");
  ov.ttl = static_cast<std::uint8_t>(ttl);
  if (!skip_forwarding) bench::report_forwarding(fw);
  if (!skip_overlay) bench::report_overlay(ov);
  return 0;
}
