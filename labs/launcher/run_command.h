// Running a short helper program (ssh, rsync, sha256sum) to its end and reading what it printed.
#pragma once

#include <string>
#include <vector>

#include "common/util/expected.h"

namespace p2p::labs {

struct CommandOutput {
  int code = 0;        // its exit code, or 128 + the signal that ended it
  std::string output;  // stdout and stderr together, at most kMaxCommandOutput bytes
};

inline constexpr std::size_t kMaxCommandOutput = 1 << 20;

// Runs argv (argv[0] found as find_program finds it, process.h) with stdin from /dev/null, as a child that
// dies with the launcher (spawn_child). A command still running after `timeout_s` seconds is killed and
// reported as an error, as is one that cannot be started.
Expected<CommandOutput> run_command(const std::vector<std::string>& argv, double timeout_s);

// The last non-empty line of a command's output, for a one-line error ("Connection refused").
std::string last_line(const std::string& output);

}  // namespace p2p::labs
