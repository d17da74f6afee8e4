// The remote node wrapper and shell quoting.
#include "labs/launcher/remote_command.h"

#include <csignal>

namespace p2p::labs {
namespace {

// $0 is the run folder, "$@" the node's argv. The reader has the channel as fd 3: sh gives a background
// job /dev/null for stdin unless it is redirected explicitly (POSIX, "Asynchronous Lists"). A TERM sent
// before setsid has made the group reaches the node itself (kill -- -PID fails, kill PID does not).
constexpr std::string_view kWrapper =
    "cd \"$0\" || exit 126\n"
    "exec 3<&0 </dev/null\n"
    "setsid \"$@\" 2>&1 &\n"
    "p=$!\n"
    "(while read -r s; do case $s in TERM|KILL|INT) kill -s $s -- -$p 2>/dev/null || kill -s $s $p;; "
    "esac; done; kill -s KILL -- -$p 2>/dev/null) <&3 &\n"
    "w=$!\n"
    "exec 3<&-\n"
    "wait $p\n"
    "c=$?\n"
    "kill -s KILL -- -$p 2>/dev/null\n"
    "kill $w 2>/dev/null\n"
    "exit $c\n";

}  // namespace

std::string shell_quote(std::string_view text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::string remote_node_command(const std::vector<std::string>& argv, std::string_view dir) {
  std::string command = "exec sh -c " + shell_quote(kWrapper) + " " + shell_quote(dir);
  for (const std::string& arg : argv) command += " " + shell_quote(arg);
  return command;
}

std::string_view remote_signal_name(int sig) {
  switch (sig) {
    case SIGTERM:
      return "TERM";
    case SIGKILL:
      return "KILL";
    case SIGINT:
      return "INT";
    default:
      return "";
  }
}

}  // namespace p2p::labs
