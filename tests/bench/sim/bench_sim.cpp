// bench-sim: BitTorrent labs of 1,000 and 10,000 peers under `p2plab run --sim` (issue 15, point 5). For each
// size it prints how long the run took on the wall clock and in CPU time, how much virtual time it covered,
// their ratio (sim_speedup) and the peak RSS, all from the run's summary.json, with the machine's load around
// it. Issue 15's goal: 10,000 peers in under 10 minutes of wall time and under 8 GiB. Prints figures;
// passes or fails nothing.
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/host/cli.h"
#include "tests/bench/bench_util.h"

namespace p2p::bench {
namespace {

namespace fs = std::filesystem;

struct Settings {
  std::string scenario = "labs/05-bittorrent/flash-crowd.ini";
  std::string count_key = "role.leecher.count";
  std::string peers = "1000,10000";
  double duration = 900;
  bool keep = false;
};

constexpr double kGoalWallS = 600;
constexpr double kGoalRssMib = 8 * 1024;
constexpr std::size_t kGoalPeers = 10'000;

std::vector<std::size_t> sizes(const std::string& list) {
  std::vector<std::size_t> out;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');) out.push_back(std::stoul(item));
  return out;
}

// One --sim run of `peers` peers; its summary, or null if it left none.
nlohmann::json run_one(const Settings& s, std::size_t peers, const std::string& out) {
  pid_t pid = spawn(
      {bin_dir() + "/p2plab", "run", s.scenario, "--sim", "--set", s.count_key + "=" + std::to_string(peers),
       "--duration", std::to_string(s.duration), "--out", out},
      out + ".log");
  int code = wait_for(pid);
  auto summary = nlohmann::json::parse(read_file(out + "/summary.json"), nullptr, false);
  if (code != 0 || summary.is_discarded()) {
    std::cout << "  the run failed (exit " << code << "); see " << out << ".log\n";
    return nullptr;
  }
  return summary;
}

int run(const Settings& s) {
  fs::path dir = fs::temp_directory_path() / ("p2p-bench-sim-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::cout << "bench-sim: " << s.scenario << " under --sim, " << s.count_key << " = " << s.peers << "\n"
            << std::fixed << std::setprecision(1);
  for (std::size_t peers : sizes(s.peers)) {
    LoadAverage before = load_average();
    nlohmann::json summary = run_one(s, peers, (dir / std::to_string(peers)).string());
    if (summary.is_null()) continue;
    const nlohmann::json& m = summary["metrics"];
    double wall = summary["wall_s"].get<double>(), rss = summary["peak_rss_mib"].get<double>();
    std::cout << peers << " peers: " << summary["duration_s"].get<double>() << " s virtual in " << wall
              << " s wall (sim_speedup " << std::setprecision(2) << summary["sim_speedup"].get<double>()
              << std::setprecision(1) << "), " << summary["cpu_s"].get<double>() << " s CPU, peak RSS " << rss
              << " MiB; " << m.value("completed", 0) << "/" << m.value("leechers", 0)
              << " completed, ended by " << summary["ended_by"].get<std::string>() << "; load " << before.one
              << " before, " << load_average().one << " after\n";
    if (peers == kGoalPeers) {
      std::cout << "  goal (issue 15): under " << kGoalWallS << " s wall and " << kGoalRssMib
                << " MiB: " << (wall < kGoalWallS && rss < kGoalRssMib ? "met" : "MISSED") << "\n";
    }
  }
  if (!s.keep) fs::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace p2p::bench

int main(int argc, char** argv) {
  using namespace p2p;
  bench::Settings s;
  CliSpec spec = bench::cli_spec(
      "bench-sim",
      "Runs a BitTorrent lab under p2plab run --sim at each size and prints wall, CPU and virtual time,\n"
      "their ratio and the peak RSS.");
  spec.options.add_options()("scenario", po::value(&s.scenario)->default_value(s.scenario), "the lab")(
      "count-key", po::value(&s.count_key)->default_value(s.count_key), "the key --peers sets")(
      "peers", po::value(&s.peers)->default_value(s.peers), "the sizes, comma-separated")(
      "duration", po::value(&s.duration)->default_value(s.duration),
      "each run's limit in virtual seconds (it ends sooner once every leecher completed)")(
      "keep", po::bool_switch(&s.keep), "keep the run folders (p2p-bench-sim-PID under $TMPDIR, or /tmp)");
  parse_cli(argc, argv, spec);
  if (s.peers.find_first_not_of("0123456789,") != std::string::npos || s.peers.empty())
    fail_setup(spec.program, "--peers: expected sizes such as 1000,10000");
  if (!(s.duration > 0)) fail_setup(spec.program, "--duration must be positive");
  return bench::run(s);
}
