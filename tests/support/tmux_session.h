// A program in a real terminal, for tests and benchmarks: a private tmux server runs one command in a
// detached session; send-keys types into it and capture-pane reads its screen. The server is ended (with
// whatever still runs in it) when the TmuxSession is destroyed.
#pragma once

#include <sys/types.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <utility>

namespace p2p::testing {

class TmuxSession {
 public:
  // Runs `command` (by sh) in a `width` x `height` terminal. `socket` names the private server: unique per
  // test, so parallel runs and a user's own tmux never meet.
  TmuxSession(std::string socket, const std::string& command, int width, int height)
      : socket_(std::move(socket)) {
    started_ = run("new-session -d -s main -x " + std::to_string(width) + " -y " + std::to_string(height) +
                   " '" + command + "'") == 0;
  }
  ~TmuxSession() { run("kill-server"); }
  TmuxSession(const TmuxSession&) = delete;
  TmuxSession& operator=(const TmuxSession&) = delete;

  bool started() const { return started_; }
  // The screen as text, one line per row.
  std::string screen() const { return output_of("capture-pane -p -t main"); }
  // tmux key names, space separated: "j j x", "Enter", "q".
  void keys(const std::string& keys) const { run("send-keys -t main " + keys); }
  bool resize(int width, int height) const {
    return run("resize-window -t main -x " + std::to_string(width) + " -y " + std::to_string(height)) == 0;
  }
  // False once the command has ended (tmux closes a session whose only pane has exited).
  bool running() const { return run("has-session -t main") == 0; }
  // The pid of the command (prefix it with `exec` so that the shell hands its pid over).
  pid_t pid() const {
    std::istringstream out(output_of("display-message -p -t main '#{pane_pid}'"));
    pid_t pid = -1;
    out >> pid;
    return pid;
  }

 private:
  // tmux refuses to run without TERM, which CTest may not set; -f /dev/null keeps a user's tmux.conf out.
  std::string tmux(const std::string& args) const {
    return "env TERM=xterm tmux -f /dev/null -L " + socket_ + " " + args + " 2>/dev/null";
  }
  int run(const std::string& args) const { return std::system((tmux(args) + " >/dev/null").c_str()); }
  std::string output_of(const std::string& args) const {
    std::string out;
    FILE* pipe = ::popen(tmux(args).c_str(), "r");
    if (pipe == nullptr) return out;
    char buffer[4096];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
    ::pclose(pipe);
    return out;
  }

  std::string socket_;
  bool started_ = false;
};

// The line of `screen` that starts with `id` and a space (a node's row in the dashboard's table), or "".
inline std::string row_of(const std::string& screen, const std::string& id) {
  std::istringstream lines(screen);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(id + " ", 0) == 0) return line;
  }
  return "";
}

}  // namespace p2p::testing
