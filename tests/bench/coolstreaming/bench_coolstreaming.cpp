// bench-coolstreaming: the largest CoolStreaming audience that keeps continuity at least 0.99 (issue 14's
// goal for baseline.ini), in SimNet (peers, wall time per virtual minute, peak RSS) and as real processes on
// this machine through `p2plab run` (continuity and the CPU they took). Prints figures; passes or fails
// nothing. Every process it starts is stopped by it, also on Ctrl-C.
#include <iomanip>
#include <iostream>
#include <sstream>
#include <thread>

#include "common/host/cli.h"
#include "labs/launcher/text.h"
#include "tests/bench/bench_util.h"
#include "tests/bench/coolstreaming/process_audience.h"
#include "tests/bench/coolstreaming/sim_audience.h"

namespace p2p::bench {
namespace {

struct Settings {
  std::string only;  // "sim" or "processes": one half only
  std::string sim_sizes = "250,500,1000,2000,4000";
  std::string sizes = "50,100,200";
  SimSettings sim;
  ProcessSettings processes;
};

// "50,100,200" as sizes, or the end of the program with what is wrong.
std::vector<std::size_t> read_sizes(const std::string& program, const std::string& flag,
                                    const std::string& list) {
  std::vector<std::size_t> sizes;
  for (const std::string& piece : labs::split(list, ',')) {
    Expected<std::uint64_t> size = labs::parse_count(piece, flag);
    if (!size || *size == 0) fail_setup(program, flag + ": a list of positive sizes, such as 50,100,200");
    sizes.push_back(*size);
  }
  return sizes;
}

std::string largest(const SearchResult& result) {
  std::ostringstream line;
  if (result.largest_held == 0) {
    line << "none";
    if (result.first_missed != 0) line << " (the smallest tried, " << result.first_missed << ", missed)";
  } else {
    line << result.largest_held << " peers";
    if (result.first_missed != 0) line << " (" << result.first_missed << " missed)";
    if (result.first_missed == 0 && !result.stopped) line << " or more (every size tried held)";
  }
  if (result.stopped) line << "; the search stopped early";
  return line.str();
}

int run(const Settings& s) {
  catch_interrupts();
  std::cout << std::fixed << std::setprecision(2)
            << "CoolStreaming: the largest audience with continuity >= " << s.sim.goal
            << " (the mean over the peers that played, and every peer playing)\n\n";
  std::optional<SearchResult> sim, processes;
  if (s.only != "processes") sim = run_sim_audiences(s.sim);
  if (s.only != "sim" && !interrupted()) {
    if (sim) std::cout << "\n";
    processes = run_process_audiences(s.processes);
  }
  std::cout << std::setprecision(2) << "\nlargest audience with continuity >= " << s.sim.goal << ":\n";
  if (sim) std::cout << "  SimNet     " << largest(*sim) << "\n";
  if (processes) {
    std::cout << "  processes  " << largest(*processes) << ", on this machine's "
              << std::thread::hardware_concurrency()
              << " cores, shared with whatever else ran (load above)\n";
  }
  return interrupted() ? 130 : 0;
}

}  // namespace
}  // namespace p2p::bench

int main(int argc, char** argv) {
  using namespace p2p;
  bench::Settings s;
  CliSpec spec = bench::cli_spec(
      "bench-coolstreaming",
      "The largest CoolStreaming audience that keeps continuity at least 0.99: in SimNet (wall time per\n"
      "virtual minute, peak RSS) and as cs-peer processes through `p2plab run` (CPU of the lab and the "
      "machine).\n"
      "Sizes are tried in increasing order until one misses, then the gap is bisected.");
  bench::SimSettings& sim = s.sim;
  bench::ProcessSettings& proc = s.processes;
  spec.options.add_options()("only", po::value(&s.only), "sim or processes: run one half only")(
      "continuity", po::value(&sim.goal)->default_value(sim.goal, "0.99"),
      "the continuity_mean an audience must keep")(
      "sim-sizes", po::value(&s.sim_sizes)->default_value(s.sim_sizes),
      "SimNet audiences; the last is the cap")("sim-runs", po::value(&sim.runs)->default_value(sim.runs),
                                               "SimNet runs per size; the median is reported")(
      "sim-minutes", po::value(&sim.minutes)->default_value(sim.minutes),
      "virtual minutes of stream after the last arrival")(
      "sim-bisect", po::value(&sim.bisect)->default_value(sim.bisect),
      "SimNet sizes tried between the last that held and the first that missed")(
      "sim-limit", po::value(&sim.run_limit_s)->default_value(sim.run_limit_s),
      "seconds a SimNet run may take before it and the search are stopped")(
      "sizes", po::value(&s.sizes)->default_value(s.sizes), "audiences of cs-peer processes")(
      "runs", po::value(&proc.runs)->default_value(proc.runs), "labs per size; the median is reported")(
      "duration", po::value(&proc.duration)->default_value(proc.duration),
      "seconds of each lab (baseline.ini's peers arrive over 30 s and buffer 10 s: much shorter, and the "
      "last "
      "never play)")("bisect", po::value(&proc.bisect)->default_value(proc.bisect),
                     "process sizes tried between the last that held and the first that missed")(
      "scenario", po::value(&proc.scenario)->default_value(proc.scenario),
      "the lab (role.peer.count is set to each size)")(
      "keep", po::bool_switch(&proc.keep),
      "keep the run folders (p2p-bench-coolstreaming-PID under $TMPDIR, or /tmp)");
  parse_cli(argc, argv, spec);
  if (!s.only.empty() && s.only != "sim" && s.only != "processes")
    fail_setup(spec.program, "--only: sim or processes");
  if (sim.runs < 1 || proc.runs < 1 || !(sim.minutes > 0) || !(proc.duration > 0) || !(sim.run_limit_s > 0))
    fail_setup(spec.program,
               "--sim-runs, --runs, --sim-minutes, --duration and --sim-limit must be positive");
  if (sim.bisect < 0 || proc.bisect < 0) fail_setup(spec.program, "--sim-bisect and --bisect: 0 or more");
  if (!(sim.goal > 0 && sim.goal <= 1)) fail_setup(spec.program, "--continuity: above 0, at most 1");
  sim.sizes = bench::read_sizes(spec.program, "--sim-sizes", s.sim_sizes);
  proc.sizes = bench::read_sizes(spec.program, "--sizes", s.sizes);
  proc.goal = sim.goal;
  return bench::run(s);
}
