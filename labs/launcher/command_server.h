// The command endpoint: a REP socket where the dashboard (or any client) asks the launcher to act on the lab.
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include "common/host/reactor.h"
#include "common/util/expected.h"
#include "labs/launcher/supervisor.h"

namespace p2p::labs {

// What a command can reach besides the supervisor.
struct LabHandle {
  Supervisor* supervisor = nullptr;  // null once the run has ended: node commands are refused
  std::function<void()> quit;        // ends the lab (the run's normal end, early)
  // {"scenario","system","out","elapsed","duration","state","telemetry","connections"}: connections counts
  // what happened to the connections on each endpoint the launcher binds, by reason (endpoint_monitor.h).
  std::function<nlohmann::json()> info;
  // Sends a control message to nodes ({"cmd":"rate",...}); topic is a node id or "all".
  std::function<void(const std::string& topic, const nlohmann::json& message)> control;
};

// One request, one reply (JSON objects):
//   {"cmd":"nodes"}                              ->
//   {"ok":true,"nodes":[{"id","role","state","pid",...}],"t":S}
//   {"cmd":"kill"|"leave"|"restart","node":ID}   -> {"ok":true,"node":ID}
//   {"cmd":"spawn","role":R,"count":N}           -> {"ok":true,"nodes":[ID...]}   (N defaults to 1)
//   {"cmd":"rate","node":ID,"up_kbps":..,"down_kbps":..,"latency_ms":..,"loss":..}  -> {"ok":true}
//   {"cmd":"info"}                               -> {"ok":true, ...LabHandle::info()}
//   {"cmd":"quit"}                               -> {"ok":true}, then the lab ends
// Anything else, or a command that cannot be done, gets {"ok":false,"error":"..."}.
nlohmann::json handle_command(const nlohmann::json& request, LabHandle& lab);

// The control message a rate request becomes: {"cmd":"rate"} with those of up_kbps, down_kbps, latency_ms
// and loss (the fraction of outgoing datagrams lost, 0 to 1) it gives, each a number in the range a node
// accepts (common/telemetry/control.h); the fields it leaves out stay as they are on the node
// (common/host/host.h). An error names the field it refuses.
Expected<nlohmann::json> rate_message(const nlohmann::json& request);

// Serves handle_command on a REP socket bound on 127.0.0.1 (a port the system picks), from the Reactor.
class CommandServer {
 public:
  CommandServer(zmq::context_t& context, Reactor& reactor, LabHandle& lab);
  const std::string& endpoint() const { return endpoint_; }
  zmq::socket_ref socket() { return socket_; }  // for an EndpointMonitor

 private:
  void on_request();

  zmq::socket_t socket_;
  std::string endpoint_;
  LabHandle& lab_;
};

}  // namespace p2p::labs
