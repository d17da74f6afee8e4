// The discrete-event network behind SimNet.
#include "common/sim/sim_net.h"

#include <cassert>

#include "common/sim/sim_node.h"
#include "common/telemetry/schema.h"

namespace p2p::sim {

SimNet::SimNet(std::uint64_t seed) : seed_(seed) {}
SimNet::~SimNet() = default;

SimNet::Node& SimNet::node(NodeIndex index) {
  return *nodes_.at(index);
}

NodeIndex SimNet::add_node(const std::string& name, LinkConfig link, MakeCore make) {
  NodeIndex index = nodes_.size();
  nodes_.push_back(std::make_unique<Node>(*this, index, name, link, std::move(make)));
  by_address_[nodes_.back()->endpoint().ipv4()] = index;
  nodes_.back()->start();
  records_.push_back(telemetry::make_event({"launcher", "launcher", "launcher"}, seconds_since_epoch(now_),
                                           telemetry::kNodeStarted,
                                           {{"node", name}, {"role", nodes_.back()->origin().role}}));
  return index;
}

void SimNet::kill(NodeIndex index) {
  Node& n = node(index);
  if (!n.alive()) return;
  records_.push_back(telemetry::make_event({"launcher", "launcher", "launcher"}, seconds_since_epoch(now_),
                                           telemetry::kNodeKilled,
                                           {{"node", n.name()}, {"role", n.origin().role}}));
  n.die();
}

void SimNet::leave(NodeIndex index) {
  node(index).leave();
}

void SimNet::restart(NodeIndex index) {
  Node& n = node(index);
  assert(!n.alive());
  n.start();
  records_.push_back(telemetry::make_event({"launcher", "launcher", "launcher"}, seconds_since_epoch(now_),
                                           telemetry::kNodeRestarted,
                                           {{"node", n.name()}, {"role", n.origin().role}}));
}

bool SimNet::alive(NodeIndex index) const {
  return nodes_.at(index)->alive();
}
Core& SimNet::core(NodeIndex index) {
  return node(index).core();
}
const DatagramCounters& SimNet::datagrams(NodeIndex index) const {
  return nodes_.at(index)->datagrams();
}
Endpoint SimNet::endpoint(NodeIndex index) const {
  return nodes_.at(index)->endpoint();
}
const std::string& SimNet::name(NodeIndex index) const {
  return nodes_.at(index)->name();
}

SimNet::Node* SimNet::listener(const Endpoint& endpoint) {
  if (endpoint.port != Node::kPort) return nullptr;
  auto it = by_address_.find(endpoint.ipv4());
  return it == by_address_.end() ? nullptr : nodes_[it->second].get();
}

void SimNet::at(TimePoint when, std::function<void()> fn) {
  assert(when >= now_);  // so an event runs at the time it was due (Node::pump relies on it)
  queue_.push(when, std::move(fn));
}

bool SimNet::step(TimePoint limit) {
  if (queue_.empty() || queue_.next_time() > limit) return false;
  auto [when, fn] = queue_.pop();
  now_ = std::max(now_, when);
  ++events_run_;
  fn();
  return true;
}

void SimNet::run_for(Duration d) {
  TimePoint limit = now_ + d;
  while (step(limit)) {
  }
  now_ = limit;
}

bool SimNet::run_until(const std::function<bool()>& done, Duration limit) {
  TimePoint deadline = now_ + limit;
  if (done()) return true;
  while (step(deadline)) {
    if (done()) return true;
  }
  now_ = deadline;
  return done();
}

void SimNet::record_status_every(Duration period) {
  status_every_ = period;
  at(now_ + period, [this] { record_statuses(); });
}

void SimNet::record_statuses() {
  for (auto& n : nodes_) {
    if (n->alive()) records_.push_back(n->status_record(status_every_));
  }
  at(now_ + status_every_, [this] { record_statuses(); });
}

}  // namespace p2p::sim
