// Node processes: how the launcher starts, signals and reaps them so that none outlives it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/util/expected.h"

namespace p2p::labs {

// Where `name` runs from: a path as given if it has a slash, else the launcher's sibling in build/bin, else
// the first match on PATH. Fails with a line that says where it looked.
Expected<std::string> find_program(const std::string& name);

// The folder of the running launcher (build/bin).
std::string own_bin_dir();

// Starts `program` with `args` (argv[0] is the program) as a child of the launcher, a node or a helper:
//   - in its own process group, so that a signal to the group reaches anything it starts, and the terminal's
//     Ctrl-C reaches only the launcher, which ends the lab in order;
//   - with PR_SET_PDEATHSIG = SIGKILL, so it dies with the launcher even when the launcher is SIGKILLed;
//   - with stdin from `input` (-1: /dev/null), stdout and stderr to `output`, and no signal blocked.
// Call it from the thread that lives as long as the launcher: the death signal follows the forking thread.
Expected<pid_t> spawn_child(const std::string& program, const std::vector<std::string>& args, int input,
                            int output);

// spawn_child for a node of the lab, its stdout and stderr appended to `log_path`.
Expected<pid_t> spawn_node(const std::string& program, const std::vector<std::string>& args,
                           const std::string& log_path, int stdin_fd = -1);

// Sends `sig` to the node's process group (the node and anything it started).
void signal_node(pid_t pid, int sig);

// How a child ended: its exit code, or 128 + the signal that ended it (the shell's convention).
struct ExitStatus {
  int code = 0;
  int signal = 0;  // 0 when it exited by itself
};
// Reaps `pid` if it has ended; nothing if it still runs.
std::optional<ExitStatus> try_reap(pid_t pid);

// The TCP port `pid` listens on, read from /proc (its socket inodes matched against the LISTEN entries of
// /proc/PID/net/tcp), or nothing while it does not listen yet. The launcher learns nodes' endpoints this way
// as well as from their "listening" event, which a node's PUB socket can drop when it is sent before the
// recorder's subscription has reached it (ZeroMQ's "slow joiner").
std::optional<std::uint16_t> listening_port(pid_t pid);

// Blocks SIGCHLD, SIGINT, SIGTERM and ignores SIGPIPE in this thread (call first in main, before any thread
// starts, so every thread inherits it), and returns a signalfd that reads them.
int block_launcher_signals();

}  // namespace p2p::labs
