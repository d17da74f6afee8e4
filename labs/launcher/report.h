// `p2plab report DIR` and `p2plab sweep`: a run's time series and plots, and a parameter sweep's table and
// plots.
#pragma once

#include <string>
#include <vector>

namespace p2p::labs {

// Writes DIR/timeseries.csv (one row per second, columns in timeseries.h plus the system's derived and theory
// columns), DIR/plots/plots.gp and, when gnuplot is installed, DIR/plots/*.png. Returns an exit code.
int report_run(const std::string& dir);

// Prints DIR's metrics beside BASELINE's (comparison.h: the metrics both share, the ratio, and the KaZaA
// lab's overhead goal). Both must hold a summary.json. Returns an exit code.
int compare_runs(const std::string& dir, const std::string& baseline);

struct SweepOptions {
  std::string scenario;
  std::string vary;  // key=v1,v2,...
  std::size_t repeat = 1;
  std::string out;                     // empty: runs/sweep-<scenario>-<timestamp>
  std::vector<std::string> overrides;  // --set, --duration, --seed for every run
  bool sim = false;                    // every run with --sim
  std::string hosts_file;              // every run with --hosts FILE
};

// One headless `p2plab run` per value and repeat (repeat r runs with the scenario's seed + r), then
// OUT/sweep.csv (one row per run), OUT/sweep_means.csv (the mean per value) and OUT/plots/*.png (each figure
// against the key). Returns an exit code; Ctrl-C stops after the current run, whose summary still counts.
int sweep(const SweepOptions& options, int signal_fd);

}  // namespace p2p::labs
