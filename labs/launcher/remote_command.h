// The command lines the launcher gives ssh for a lab spanning hosts: quoting for the remote shell, and the
// wrapper a remote node runs under. Pure strings: remote_hosts.h runs them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace p2p::labs {

// `text` as one word for a POSIX shell (and fish): in single quotes, a quote inside as '\''.
std::string shell_quote(std::string_view text);

// What a remote node's SSH channel runs: `argv` (argv[0] the program's path there) in `dir`, under a sh
// wrapper that
//   - puts the node in its own session and process group (setsid), its output on the channel (the
//     launcher's log file for it);
//   - reads signal names (TERM, KILL, INT), one a line, from the channel and sends each to that group: how
//     leave and kill reach a remote node;
//   - kills the group when the channel's input ends, which it does when the launcher or its ssh dies, even
//     by SIGKILL: no remote node outlives its lab;
//   - exits with the node's status (128 + N for signal N), which ssh passes on as its own.
std::string remote_node_command(const std::vector<std::string>& argv, std::string_view dir);

// The signal names remote_node_command's wrapper accepts on its input, or empty for another signal.
std::string_view remote_signal_name(int sig);

}  // namespace p2p::labs
