// Whether a port is free for a node to listen on: how a restarted node keeps its old port when it can and
// takes a new one when another process holds it now.
#pragma once

#include "common/net/endpoint.h"

namespace p2p::labs {

// Whether a node could listen at `at` now: a TCP socket bound as ZeroMQ binds a listener (SO_REUSEADDR, so
// the killed node's connections left in TIME_WAIT do not count), and a UDP socket on the same number (a node
// that uses datagrams binds both, common/host/host.cpp). Both are closed before it returns, so a node started
// right after finds the port as they did; another process could still take it in between.
bool port_is_free(const Endpoint& at);

}  // namespace p2p::labs
