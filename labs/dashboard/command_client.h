// CommandClient: requests to the launcher's REP socket that never block the dashboard.
#pragma once

#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include "common/util/expected.h"

namespace p2p::dashboard {

// One request and what came of it: the launcher's JSON reply, or why there is none.
struct Exchange {
  nlohmann::json request;
  Expected<nlohmann::json> reply;
};

// A REQ socket used without ever waiting on it: request() queues, poll() collects. REQ allows one request in
// flight, so later ones wait in a short queue. A reply that does not come within `timeout` fails the request
// and the socket is replaced, because a REQ socket still expecting a reply can never send again
// (zmq_socket(3)).
class CommandClient {
 public:
  using Clock = std::chrono::steady_clock;

  CommandClient(zmq::context_t& context, std::string endpoint, std::chrono::milliseconds timeout);

  // Queues `request`; it is sent at the next poll() when no other request is waiting for its reply.
  void request(nlohmann::json request);
  // Sends what can be sent, takes a reply if one arrived, and fails a request that waited past the timeout.
  std::vector<Exchange> poll(Clock::time_point now);
  // The socket to wait on for a reply (with zmq::poll), or nothing when no request is in flight.
  std::optional<zmq::socket_ref> waiting_socket();
  bool idle() const { return !in_flight_ && queue_.empty(); }

 private:
  void open();

  zmq::context_t& context_;
  std::string endpoint_;
  std::chrono::milliseconds timeout_;
  std::optional<zmq::socket_t> socket_;
  std::deque<nlohmann::json> queue_;
  std::optional<nlohmann::json> in_flight_;
  Clock::time_point sent_at_{};
};

}  // namespace p2p::dashboard
