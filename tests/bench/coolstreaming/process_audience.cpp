// The process half of bench-coolstreaming: see process_audience.h.
#include "tests/bench/coolstreaming/process_audience.h"

#include <unistd.h>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/bench/bench_util.h"

namespace p2p::bench {
namespace {

namespace fs = std::filesystem;

struct LabRun {
  double continuity_mean = 0, continuity_p10 = 0, playing = 0;
  double lab_cores = 0;          // the launcher's and its nodes' CPU over the run's wall time
  double machine_cores = 0;      // every program's on the machine, the lab's included
  double load_one = 0;           // /proc/loadavg's 1-minute figure as the run ended
  double cpu_ms_per_node_s = 0;  // what one process of the lab costs: CPU ms per second of the run
};

// One lab of `peers` peers, seed `seed`, run by the launcher at `p2plab`. Nothing if the launcher failed,
// hung or was interrupted: its run folder stays for a look.
std::optional<LabRun> run_lab(const ProcessSettings& s, const std::string& p2plab, const std::string& out,
                              std::size_t peers, int seed) {
  const auto start = std::chrono::steady_clock::now();
  const double machine_before = machine_busy_seconds();
  const pid_t launcher = spawn({p2plab, "run", s.scenario, "--headless", "--out", out, "--set",
                                "role.peer.count=" + std::to_string(peers), "--duration",
                                std::to_string(s.duration), "--seed", std::to_string(seed)},
                               out + ".txt");
  if (launcher <= 0) return std::nullopt;
  // The launcher ends its lab at the duration, then stops each node with a grace of a few seconds.
  std::optional<Finished> finished = wait_until(launcher, s.duration + 120);
  if (!finished) {
    stop(launcher, 15'000);  // it ends every node it started; they also die with it (PR_SET_PDEATHSIG)
    return std::nullopt;
  }
  const double wall = seconds_since(start);
  auto summary = nlohmann::json::parse(read_file(out + "/summary.json"), nullptr, false);
  if (finished->code != 0 || !summary.is_object() || !summary.contains("metrics")) return std::nullopt;
  const nlohmann::json& metrics = summary["metrics"];
  auto number = [&](const char* key) {  // a figure of nothing is null (labs/launcher/summaries/figures.h)
    auto figure = metrics.find(key);
    return figure != metrics.end() && figure->is_number() ? figure->get<double>() : 0.0;
  };
  LabRun run;
  run.continuity_mean = number("continuity_mean");
  run.continuity_p10 = number("continuity_p10");
  run.playing = number("peers_playing");
  run.lab_cores = finished->cpu_seconds / wall;
  run.machine_cores = (machine_busy_seconds() - machine_before) / wall;
  run.load_one = load_average().one;
  run.cpu_ms_per_node_s = 1000 * finished->cpu_seconds / wall / static_cast<double>(peers + 1);
  if (!s.keep) fs::remove_all(out);
  return run;
}

}  // namespace

SearchResult run_process_audiences(const ProcessSettings& s) {
  const std::string work =
      (fs::temp_directory_path() / ("p2p-bench-coolstreaming-" + std::to_string(::getpid()))).string();
  fs::create_directories(work);
  // Found once: a rebuild while the benchmark runs replaces this program's file, and /proc/self/exe with it.
  const std::string p2plab = bin_dir() + "/p2plab";
  const unsigned cores = std::thread::hardware_concurrency();
  std::cout << "Processes: " << s.scenario << " through `p2plab run`, 1 cs-source and N cs-peer, "
            << s.duration << " s each; medians of " << s.runs << " runs (seeds 1 and up); this machine has "
            << cores << " cores, load " << std::fixed << std::setprecision(2) << load_average().one
            << " before the first run\n"
            << "   peers     playing  continuity     p10       lab   machine    load     CPU ms/s\n"
            << "                            mean             cores     cores   1 min  per process\n";
  // The cores busy while the last size to miss ran: the whole machine's, and this lab's share of them.
  double missed_machine_cores = 0, missed_lab_cores = 0;
  auto measure = [&](std::size_t peers) {
    std::vector<double> mean, p10, playing, lab, machine, load, per_node;
    for (int r = 0; r < s.runs; ++r) {
      const std::string out = work + "/n" + std::to_string(peers) + "-r" + std::to_string(r + 1);
      std::optional<LabRun> run = run_lab(s, p2plab, out, peers, r + 1);
      if (!run) {
        std::cout << "  " << peers << " peers: the lab "
                  << (interrupted() ? "was interrupted" : "failed; see " + out + " and " + out + ".txt")
                  << "\n";
        return Verdict::Stopped;
      }
      mean.push_back(run->continuity_mean);
      p10.push_back(run->continuity_p10);
      playing.push_back(run->playing);
      lab.push_back(run->lab_cores);
      machine.push_back(run->machine_cores);
      load.push_back(run->load_one);
      per_node.push_back(run->cpu_ms_per_node_s);
    }
    const bool held = median(mean) >= s.goal && median(playing) >= static_cast<double>(peers);
    if (!held) {
      missed_machine_cores = median(machine);
      missed_lab_cores = median(lab);
    }
    std::cout << std::fixed << std::setprecision(0) << std::setw(8) << peers << std::setw(6)
              << median(playing) << "/" << std::left << std::setw(6) << peers << std::right
              << std::setprecision(4) << std::setw(12) << median(mean) << std::setw(8) << median(p10)
              << std::setprecision(2) << std::setw(10) << median(lab) << std::setw(10) << median(machine)
              << std::setw(8) << median(load) << std::setprecision(1) << std::setw(13) << median(per_node)
              << "   " << (held ? "holds" : "MISSES") << std::endl;
    return held ? Verdict::Held : Verdict::Missed;
  };
  SearchResult result = search_audience(s.sizes, s.bisect, measure);
  if (result.first_missed != 0) {
    const bool saturated = missed_machine_cores >= 0.9 * cores;
    std::cout << std::setprecision(2) << "  at " << result.first_missed << " peers " << missed_machine_cores
              << " of the machine's " << cores << " cores were busy, " << missed_lab_cores << " of them with "
              << "this lab: "
              << (saturated
                      ? "the cores were saturated, so the figure is this machine's limit as loaded then, "
                        "not the protocol's"
                      : "the cores were not saturated; look beyond the CPU for the limit")
              << "\n";
  }
  if (result.stopped || s.keep) {
    std::cout << "  run folders kept: " << work << "\n";
  } else {
    fs::remove_all(work);
  }
  return result;
}

}  // namespace p2p::bench
