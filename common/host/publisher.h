// Telemetry over ZeroMQ: nodes PUBlish records, the launcher's proxy fans them out to SUBscribers.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>
#include <zmq.hpp>

namespace p2p::telemetry {

// Publishes records to the launcher's XSUB endpoint. It drops when its queue is full, so a slow or absent
// collector never blocks the node. It is an XPUB rather than a PUB so it can see the collector's subscription
// arrive: until then ZeroMQ silently drops what is published (the "slow joiner"), and a node's first record
// (where it listens) must not be lost.
class Publisher {
 public:
  Publisher(zmq::context_t& context, const std::string& endpoint);
  // Waits until the collector has subscribed, at most `limit`; false if it never did.
  bool wait_until_subscribed(std::chrono::milliseconds limit);
  void publish(const nlohmann::json& record);

 private:
  zmq::socket_t socket_;
};

// Reads records from the proxy's XPUB endpoint (the dashboard and the recorder). Messages that are not valid
// records are skipped and counted.
class Subscriber {
 public:
  Subscriber(zmq::context_t& context, const std::string& endpoint);
  zmq::socket_ref socket() { return socket_; }
  // The next valid record, if one is waiting.
  std::optional<nlohmann::json> receive();
  std::size_t rejected() const { return rejected_; }

 private:
  zmq::socket_t socket_;
  std::size_t rejected_ = 0;
};

}  // namespace p2p::telemetry
