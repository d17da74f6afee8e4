// A helper program on a pipe, read with poll until the end or the deadline.
#include "labs/launcher/run_command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "labs/launcher/process.h"

namespace p2p::labs {

Expected<CommandOutput> run_command(const std::vector<std::string>& argv, double timeout_s) {
  auto program = find_program(argv.at(0));
  if (!program) return make_error("cannot run " + argv[0] + ": " + program.reason());
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return make_error(std::string("pipe: ") + std::strerror(errno));
  // A child of the launcher like a node (process.h): an rsync or ssh in progress dies with a SIGKILLed
  // launcher too.
  auto pid = spawn_child(*program, argv, -1, pipe_fds[1]);
  ::close(pipe_fds[1]);
  if (!pid) {
    ::close(pipe_fds[0]);
    return make_error("cannot run " + argv[0] + ": " + pid.reason());
  }

  CommandOutput result;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  bool timed_out = false;
  char buffer[4096];
  while (true) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{pipe_fds[0], POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    if (p.revents == 0) continue;
    ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (result.output.size() < kMaxCommandOutput) result.output.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(pipe_fds[0]);
  if (timed_out) signal_node(*pid, SIGKILL);
  int status = 0;
  while (::waitpid(*pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return make_error(argv[0] + " did not finish within " + std::to_string(static_cast<int>(timeout_s)) +
                      " s");
  }
  result.code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  return result;
}

std::string last_line(const std::string& output) {
  std::size_t end = output.find_last_not_of("\r\n \t");
  if (end == std::string::npos) return "";
  std::size_t begin = output.rfind('\n', end);
  return output.substr(begin == std::string::npos ? 0 : begin + 1,
                       end + 1 - (begin == std::string::npos ? 0 : begin + 1));
}

}  // namespace p2p::labs
