// SimNet: many protocol cores in one process on a virtual clock, over the same link model as real runs.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/net/link_shaper.h"
#include "common/node/core.h"
#include "common/sim/event_queue.h"

namespace p2p::sim {

using NodeIndex = std::size_t;
using MakeCore = std::function<std::unique_ptr<Core>(Runtime&)>;

// A deterministic discrete-event network. Every node gets a Runtime whose clock is the simulation's, whose
// connections are in-memory streams cut by the core's own framers, and whose bytes cross the same
// ShapedQueues (upload cap, download cap, latency) as the real Transport. A connect takes the path latency to
// reach the listener and twice that to be confirmed, as a TCP handshake would. The same seed replays the
// same run: events at the same instant run in the order they were scheduled. A datagram crosses the
// sender's uplink, may be lost (the sender's LinkConfig::loss, drawn from the node's seeded stream), then
// crosses the latency and the receiver's downlink to a node that is up and whose core uses datagrams.
class SimNet {
 public:
  explicit SimNet(std::uint64_t seed = 1);
  ~SimNet();
  SimNet(const SimNet&) = delete;
  SimNet& operator=(const SimNet&) = delete;

  // Adds a node listening at a fresh address (127.1.x.y:6000), builds its core and starts it now.
  NodeIndex add_node(const std::string& name, LinkConfig link, MakeCore make);
  // Ends a node abruptly, as SIGKILL would: its peers see "connection reset" after the path latency.
  void kill(NodeIndex node);
  // Asks a node to leave gracefully (Core::on_leave); it ends when it calls stop(), or after 2 s.
  void leave(NodeIndex node);
  // Starts a fresh core for a dead node, at the same address.
  void restart(NodeIndex node);

  void run_for(Duration d);
  // Runs until `done` holds (checked after every event) or `limit` passes; true if `done` held.
  bool run_until(const std::function<bool()>& done, Duration limit);

  TimePoint now() const { return now_; }
  std::size_t size() const { return nodes_.size(); }
  bool alive(NodeIndex node) const;
  Core& core(NodeIndex node);
  template <typename T>
  T& core_as(NodeIndex node) {
    return dynamic_cast<T&>(core(node));
  }
  Endpoint endpoint(NodeIndex node) const;
  // What the node's runtime counted of its datagrams, over all its lives.
  const DatagramCounters& datagrams(NodeIndex node) const;
  const std::string& name(NodeIndex node) const;

  // Every telemetry event of every node, as schema v1 records with virtual time (plus status records
  // every `status_every`, when set).
  const std::vector<nlohmann::json>& records() const { return records_; }
  // Hands over the records gathered since the last call and forgets them: a long run that writes them out as
  // it goes (p2plab run --sim) does not keep them all in memory.
  std::vector<nlohmann::json> take_records() { return std::exchange(records_, {}); }
  void record_status_every(Duration period);
  std::uint64_t events_run() const { return events_run_; }

 private:
  class Node;
  friend class Node;
  void at(TimePoint when, std::function<void()> fn);
  bool step(TimePoint limit);
  Node* listener(const Endpoint& endpoint);
  Node& node(NodeIndex index);
  void record_statuses();

  std::uint64_t seed_;
  TimePoint now_{};
  std::uint64_t events_run_ = 0;
  EventQueue queue_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::unordered_map<std::uint32_t, NodeIndex> by_address_;
  std::vector<nlohmann::json> records_;
  Duration status_every_{0};
};

}  // namespace p2p::sim
