// The options every node binary shares (--listen, link caps, seed, telemetry and control endpoints, logging).
#pragma once

#include <string>

#include "common/host/cli.h"
#include "common/net/endpoint.h"
#include "common/net/link_shaper.h"
#include "common/node/core.h"

namespace p2p {

struct NodeOptions {
  Endpoint listen{"127.0.0.1", 0};
  LinkConfig link;
  std::uint64_t seed = 1;
  std::string node_id;
  std::string telemetry;  // the launcher's XSUB endpoint, or empty
  std::string control;    // the launcher's command PUB endpoint, or empty
  LogLevel log_level = LogLevel::Info;
};

// Adds the shared flags to a binary's options.
void add_node_options(po::options_description& options);
// Reads them back; a bad value ends the program with exit code 2 and one line.
NodeOptions read_node_options(const po::variables_map& vm, const std::string& program);

}  // namespace p2p
