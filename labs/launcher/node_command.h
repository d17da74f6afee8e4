// A node process's command line: the shared flags every node takes (common/host/node_options.h), then its
// role's args.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "labs/launcher/link_profiles.h"

namespace p2p::labs {

struct NodeCommand {
  std::string program;  // its path where it runs
  std::string id;
  std::uint64_t seed = 0;
  std::string telemetry;              // the recorder's endpoint, as the node dials it
  std::string control;                // the launcher's control endpoint, as the node dials it
  const LinkProfile* link = nullptr;  // null: no shaping
  std::string listen;                 // "ADDR:PORT", or empty: 127.0.0.1 and a port the system picks
  bool beyond_loopback = false;       // `listen` is a host's own address (a lab across hosts)
};

// program --node-id ID --seed N --telemetry T --control C [--up-kbps U --down-kbps D --latency-ms L
// [--loss F]] [--listen ADDR:PORT] [--bind-any] ARGS...; --loss only for a lossy link.
std::vector<std::string> node_argv(const NodeCommand& command, std::vector<std::string> args);

}  // namespace p2p::labs
