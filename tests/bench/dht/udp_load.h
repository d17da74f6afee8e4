// The query-rate half of bench-dht: a load generator sending real KRPC queries over UDP to one bt-dht.
#pragma once

#include <cstddef>
#include <vector>

#include "common/net/endpoint.h"

namespace p2p::bench {

struct UdpLoadSettings {
  double seconds = 3;        // length of one run
  int runs = 3;              // the median is reported
  std::size_t sockets = 8;   // source ports, each its own address for the node's table
  std::size_t window = 128;  // queries in flight per socket
  std::size_t source_ids = 4096;
};

// Sends ping, find_node and get_peers queries from `source_ids` random node ids and counts the responses
// that come back; returns the answers per second of each run.
std::vector<double> measure_queries_answered(const Endpoint& node, const UdpLoadSettings& settings);

}  // namespace p2p::bench
