// Running gnuplot (gnuplot-nox) on the scripts that reports and sweeps write.
#pragma once

#include <string>
#include <vector>

#include "common/util/expected.h"

namespace p2p::labs {

// "pngcairo" when this gnuplot has it (smoother lines), else "png"; empty when gnuplot is not installed.
std::string png_terminal();

// Runs `gnuplot script`, its output going to `log`. Fails with a line naming the log on an error.
Status run_gnuplot(const std::string& script, const std::string& log);

// Starts `args` (args[0] a program path) with its output to `log` and waits for it; its exit code, or 128 +
// signal. While it runs, SIGINT or SIGTERM read from `signal_fd` (if >= 0) is passed on to it as SIGTERM.
int run_and_wait(const std::vector<std::string>& args, const std::string& log, int signal_fd,
                 bool* interrupted);

}  // namespace p2p::labs
