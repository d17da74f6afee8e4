// The recorder: the lab's telemetry proxy (XSUB for nodes, XPUB for watchers) and its events.jsonl.
#pragma once

#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include "common/host/reactor.h"

namespace p2p::labs {

// Nodes PUBlish to the XSUB socket (their --telemetry); the dashboard and any other watcher SUBscribes to the
// XPUB socket. Both are bound with a port the system picks, the XPUB on 127.0.0.1. Every valid record (schema
// v1) is appended to events.jsonl as one line, forwarded, and shown to the launcher's own observers (the
// supervisor learns listen endpoints this way). The proxy runs on the launcher's Reactor, not in zmq_proxy's
// own loop, so the launcher can add its own records to the same stream, in order.
class Recorder {
 public:
  using Observer = std::function<void(const nlohmann::json& record)>;

  // Fails (throws zmq::error_t) only if its sockets cannot be bound at all. Nodes publish to
  // `node_address` (127.0.0.1, or the launcher's address on the hosts' network in a lab across hosts).
  Recorder(zmq::context_t& context, Reactor& reactor, const std::string& jsonl_path,
           const std::string& node_address = "127.0.0.1");

  bool ok() const { return static_cast<bool>(file_); }
  const std::string& publish_endpoint() const { return xsub_endpoint_; }    // for the nodes' --telemetry
  const std::string& subscribe_endpoint() const { return xpub_endpoint_; }  // for dashboards
  // The two sockets, for an EndpointMonitor.
  zmq::socket_ref node_socket() { return xsub_; }
  zmq::socket_ref watcher_socket() { return xpub_; }

  void observe(Observer observer) { observers_.push_back(std::move(observer)); }
  // A record of the launcher's own (node_started...), written and forwarded like the nodes' records.
  void record(const nlohmann::json& record);

  std::size_t records() const { return records_; }
  std::size_t rejected() const { return rejected_; }
  // Pushes what is buffered to events.jsonl, so that readers of a running lab (tail -f, tests) see it.
  void flush() {
    if (file_.is_open()) file_.flush();
  }
  // Flushes events.jsonl; later records are still forwarded but no longer written.
  void close();

 private:
  void on_node_records();
  void on_subscriptions();
  void take(const nlohmann::json& record, std::string_view text);

  zmq::socket_t xsub_;
  zmq::socket_t xpub_;
  std::string xsub_endpoint_;
  std::string xpub_endpoint_;
  std::ofstream file_;
  std::vector<Observer> observers_;
  std::size_t records_ = 0;
  std::size_t rejected_ = 0;
};

}  // namespace p2p::labs
