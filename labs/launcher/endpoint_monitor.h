// EndpointMonitor: what happened to the connections on each endpoint the launcher binds, counted by reason
// (issue 18, hostile peers).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include "common/host/reactor.h"

namespace p2p::labs {

// libzmq accepts and drops a ZeroMQ socket's peers itself: a peer that sends garbage, or a frame longer than
// ZMQ_MAXMSGSIZE (inbound_limits.h), is gone before the launcher could read a byte from it. Only a socket
// monitor (zmq_socket_monitor(3)) hears of it: libzmq sends one two-frame message per event to an inproc PAIR
// socket, which the Reactor watches here. libzmq 4.3 gives a reason only for some failed handshakes (garbage
// and ZMTP 1.0 peers end with a bare "disconnected"), so the counts per endpoint are:
//   "accepted"                      TCP connections accepted;
//   "handshake succeeded"           those that completed the ZMTP 3 handshake;
//   "never completed the handshake" accepted minus succeeded: garbage, a ZMTP 1.0 peer (refused, since every
//                                   endpoint has a ZAP domain), or a peer still in its handshake;
//   "disconnected"                  connections ended, by either side: a peer that left, or one that sent a
//                                   frame over the size limit (libzmq does not tell them apart);
//   "handshake failed", "protocol error": the reasons libzmq does give (HANDSHAKE_FAILED_NO_DETAIL,
//   _PROTOCOL).
class EndpointMonitor {
 public:
  EndpointMonitor(zmq::context_t& context, Reactor& reactor) : context_(context), reactor_(reactor) {}

  // Starts counting the connections of `socket`, a bound socket that outlives this monitor's use of it, under
  // `endpoint` (the name lab.json gives it).
  void watch(zmq::socket_ref socket, const std::string& endpoint);
  // {"commands": {"accepted": 3, "handshake succeeded": 1, "never completed the handshake": 2, ...}, ...}
  nlohmann::json counts() const;

 private:
  struct Watched {
    std::string endpoint;
    zmq::socket_t events;
    std::map<std::string, std::uint64_t> reasons;
  };
  void on_events(Watched& watched);

  zmq::context_t& context_;
  Reactor& reactor_;
  std::vector<std::unique_ptr<Watched>> watched_;  // by pointer: the Reactor's callbacks hold them
};

}  // namespace p2p::labs
