// `p2plab run`: one lab from start to summary (supervisor, recorder, command endpoint, dashboard or
// progress).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/util/expected.h"
#include "labs/launcher/scenario.h"

namespace p2p::labs {

struct RunOptions {
  std::string scenario;                // a path or a name resolve_scenario() finds
  std::vector<std::string> overrides;  // --set key=value, then --duration and --seed as overrides
  std::string out;                     // empty: runs/<scenario>-<timestamp>
  bool headless = false;               // no dashboard even on a terminal
  std::uint16_t first_port = 0;        // 0: nodes listen where the system puts them (SupervisorSettings)
  bool sim = false;                    // the cores in SimNet on a virtual clock (sim_run.h), not processes
  std::string hosts_file;              // --hosts: a hosts file (hosts.h) instead of the scenario's [hosts]
};

// What a run starts from: its scenario, with the overrides, and its run folder, made.
struct RunSetup {
  Scenario scenario;
  std::string out;
};
// Loads the scenario (with options.hosts_file as its [hosts]), lets `check` refuse it (a program that cannot
// be found), and makes the run folder (options.out, or runs/<scenario>-<timestamp>), which must not hold a
// run yet. Fails with the line to show.
Expected<RunSetup> set_up_run(const RunOptions& options, const std::function<Status(const Scenario&)>& check);

// Runs the lab and returns the exit code: 0 when it ran to its end or was quit, 128 + the signal when it was
// interrupted (its summary is still written), 2 for a set-up mistake (one line on stderr, nothing started).
// Call block_launcher_signals() first, in main, before any thread exists.
int run_lab(const RunOptions& options, int signal_fd);

}  // namespace p2p::labs
