// bench-bittorrent: the BitTorrent figures of issue 5, each the median of runs in one go (--runs of a and b,
// --swarm-runs of c).
//   a. One seed to one leecher over unshaped loopback through bt-tracker: bt-peer's MiB/s beside aria2c's
//      (aria2c seeding to aria2c), and the ratio.
//   b. Announces per second that wrk gets from bt-tracker and from Debian's opentracker, on the same request,
//      first with a new connection per announce (as clients announce), then on connections kept alive.
//   c. A swarm on shaped links (1 seed, 200 leechers): the time until all are complete, the peak total RSS,
//      and the files that differ from the seed's.
// Every process it starts is stopped before it ends. Prints figures; passes or fails nothing.
#include <cstdlib>
#include <filesystem>
#include <string>

#include "common/host/cli.h"
#include "tests/bench/bench_util.h"
#include "tests/bench/bittorrent/bittorrent_bench.h"
#include "tests/interop/interop_util.h"

int main(int argc, char** argv) {
  using namespace p2p;
  CliSpec spec = bench::cli_spec(
      "bench-bittorrent",
      "BitTorrent figures, medians of several runs: (a) bt-peer's 1:1 loopback throughput beside aria2c's, "
      "(b) bt-tracker's announces/s under wrk beside opentracker's, per connection and kept alive, (c) a "
      "shaped swarm of 1 seed and 200 "
      "leechers: time until all complete and peak total RSS.");
  bench::Settings s;
  std::string tmp = std::filesystem::exists("/dev/shm") ? "/dev/shm" : "/tmp";
  spec.options.add_options()("which", po::value(&s.which)->default_value(s.which), "parts to run: a, b, c")(
      "runs", po::value(&s.runs)->default_value(s.runs), "runs of (a) and (b); the median is reported")(
      "size", po::value(&s.size_mib)->default_value(s.size_mib), "(a) MiB transferred")(
      "piece-kib", po::value(&s.piece_kib)->default_value(s.piece_kib), "(a) piece length in KiB")(
      "wrk-seconds", po::value(&s.wrk_seconds)->default_value(s.wrk_seconds), "(b) length of each wrk run")(
      "leechers", po::value(&s.leechers)->default_value(s.leechers), "(c) leechers in the swarm")(
      "swarm-size", po::value(&s.swarm_mib)->default_value(s.swarm_mib), "(c) MiB of the swarm's file")(
      "swarm-runs", po::value(&s.swarm_runs)->default_value(s.swarm_runs),
      "(c) runs; the median is reported")("tmp", po::value(&tmp)->default_value(tmp),
                                          "where the scratch folders go (tmpfs keeps disks out)");
  parse_cli(argc, argv, spec);
  if (s.runs < 1 || s.swarm_runs < 1 || s.leechers < 1 || s.size_mib == 0 || s.swarm_mib == 0 ||
      s.piece_kib < 16 || !(s.wrk_seconds >= 1)) {
    fail_setup(
        spec.program,
        "--runs, --swarm-runs, --leechers, --size and --swarm-size must be positive, --piece-kib at least "
        "16, --wrk-seconds at least 1");
  }
  for (char part : s.which) {
    if (part != ',' && (part < 'a' || part > 'c')) fail_setup(spec.program, "--which: a list of a, b and c");
  }
  ::setenv("TMPDIR", tmp.c_str(), 1);  // ScratchDir makes its folders there
  for (const char* tool : {"aria2c", "wrk", "opentracker"}) {
    if (!interop::on_path(tool)) fail_setup(spec.program, std::string(tool) + " is not installed");
  }
  if (s.which.find('a') != std::string::npos) bench::run_transfer_bench(s);
  if (s.which.find('b') != std::string::npos) bench::run_tracker_bench(s);
  if (s.which.find('c') != std::string::npos) bench::run_swarm_bench(s);
  return 0;
}
