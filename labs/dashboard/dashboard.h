// The live lab dashboard: what the launcher calls to show a running lab in the terminal (issue 4, point 2).
#pragma once

#include <chrono>
#include <string>

namespace p2p::labs {

struct DashboardOptions {
  std::string
      telemetry;  // XPUB endpoint of the launcher's proxy: schema v1 records (common/telemetry/schema.h)
  std::string commands;   // the launcher's REP endpoint: {"cmd":"kill"|"leave"|"restart","node":...}, ...
  bool owns_lab = false;  // `q` also ends the lab ({"cmd":"quit"})
  std::chrono::milliseconds refresh{500};
};

// Runs the dashboard on the calling thread's terminal until the user presses `q`. Returns 0, or 2 when there
// is no terminal to draw on.
//
// Every frame drawn bumps a counter shown in the status bar ("frame N"). When the environment variable
// P2P_DASH_FRAMES names a file, each frame also rewrites that file with one line
//   "<frames> <seconds since start> <last interval s> <longest interval s>"
// so a benchmark can measure the refresh interval from outside.
int run_dashboard(const DashboardOptions& options);

}  // namespace p2p::labs
