// gnuplot and other child tools of the report and the sweep.
#include "labs/launcher/gnuplot.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "labs/launcher/process.h"

namespace p2p::labs {

int run_and_wait(const std::vector<std::string>& args, const std::string& log, int signal_fd,
                 bool* interrupted) {
  auto pid = spawn_node(args.at(0), args, log);
  if (!pid) return 127;
  while (true) {
    if (auto status = try_reap(*pid)) return status->code;
    pollfd fds{signal_fd, POLLIN, 0};
    if (signal_fd >= 0 && ::poll(&fds, 1, 100) > 0) {
      signalfd_siginfo info{};
      while (::read(signal_fd, &info, sizeof info) == sizeof info) {
        if (info.ssi_signo == SIGINT || info.ssi_signo == SIGTERM) {
          signal_node(*pid, SIGTERM);
          if (interrupted) *interrupted = true;
        }
      }
    } else if (signal_fd < 0) {
      ::usleep(100 * 1000);
    }
  }
}

std::string png_terminal() {
  auto gnuplot = find_program("gnuplot");
  if (!gnuplot) return "";
  return run_and_wait({*gnuplot, "-e", "set terminal pngcairo"}, "/dev/null", -1, nullptr) == 0 ? "pngcairo"
                                                                                                : "png";
}

Status run_gnuplot(const std::string& script, const std::string& log) {
  auto gnuplot = find_program("gnuplot");
  if (!gnuplot)
    return make_error("gnuplot is not installed (apt-get install gnuplot-nox); the CSV is written");
  int code = run_and_wait({*gnuplot, script}, log, -1, nullptr);
  if (code != 0)
    return make_error("gnuplot failed on " + script + " (exit " + std::to_string(code) + "); see " + log);
  return Ok{};
}

}  // namespace p2p::labs
