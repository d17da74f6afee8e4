// Folding telemetry records into the dashboard's node table, event log and rate history.
#include "labs/dashboard/lab_model.h"

#include <set>

#include "common/telemetry/schema.h"
#include "labs/dashboard/json_fields.h"

namespace p2p::dashboard {
namespace {

namespace tm = ::p2p::telemetry;

constexpr std::string_view kLauncher = "launcher";
// Published by labs/launcher once every node is stopped: {"reason":..,"message":..}.
constexpr std::string_view kLabEnded = "lab_ended";

// The launcher's word for a node's state in its {"cmd":"nodes"} reply, as ours.
std::optional<NodeState> state_named(std::string_view word) {
  if (word == "alive" || word == "running" || word == "started" || word == "up") return NodeState::Alive;
  if (word == "left" || word == "leaving") return NodeState::Left;
  if (word == "dead" || word == "killed" || word == "exited" || word == "crashed") return NodeState::Dead;
  return std::nullopt;
}

void set_state(Node& node, NodeState state) {
  node.state = state;
  if (state == NodeState::Alive) return;
  // A gone process moves no bytes; its last figures would inflate the lab-wide rates.
  node.up_bps = 0;
  node.down_bps = 0;
  node.conns = 0;
}

void set_identity(Node& node, const nlohmann::json& from) {
  if (std::string system = string_at(from, "system"); !system.empty()) node.system = system;
  if (std::string role = string_at(from, "role"); !role.empty()) node.role = role;
  // The launcher's node_started and its node list name the host of a node in a lab across hosts.
  if (std::string host = string_at(from, "host"); !host.empty()) node.host = host;
}

}  // namespace

std::string_view to_string(NodeState state) {
  switch (state) {
    case NodeState::Alive:
      return "alive";
    case NodeState::Dead:
      return "dead";
    case NodeState::Left:
      return "left";
  }
  return "?";
}

std::optional<double> Node::rate_of(std::string_view field) const {
  auto now = number_at(sys, field);
  auto before = number_at(previous_sys, field);
  double dt = status_t - previous_status_t;
  if (!now || !before || previous_status_t <= 0 || dt <= 0 || *now < *before) return std::nullopt;
  return (*now - *before) / dt;
}

LabModel::LabModel(std::size_t log_capacity, std::size_t history_capacity)
    : events_(log_capacity), history_(history_capacity) {}

const LoggedEvent* LabModel::apply(nlohmann::json record, double now) {
  ++records_;
  std::string source = string_at(record, "node");
  std::string system = string_at(record, "system");
  if (string_at(record, "kind") == "status") {
    if (system == kLauncher) return nullptr;  // the launcher's own figures describe no node
    Node& target = node(source, now);
    set_identity(target, record);
    apply_status(target, record);
    return nullptr;
  }
  LoggedEvent event{number_at(record, "t").value_or(0), source, source, system, string_at(record, "event"),
                    std::move(record["data"])};
  if (system == kLauncher) return apply_launcher_event(std::move(event), now);
  Node& target = node(source, now);
  set_identity(target, record);
  apply_node_event(target, event);
  return log(&target, std::move(event));
}

void LabModel::apply_status(Node& node, nlohmann::json& record) {
  node.previous_sys = std::move(node.sys);
  node.previous_status_t = node.status_t;
  node.sys = std::move(record["sys"]);
  node.status_t = number_at(record, "t").value_or(0);
  if (node.state != NodeState::Alive) return;
  node.up_bps = number_at(record, "up_bps").value_or(0);
  node.down_bps = number_at(record, "down_bps").value_or(0);
  node.conns = static_cast<std::size_t>(std::max<std::int64_t>(0, whole_at(record, "conns").value_or(0)));
}

const LoggedEvent* LabModel::apply_launcher_event(LoggedEvent event, double now) {
  std::string about = string_at(event.data, "node");
  if (event.name == kLabEnded) ended_ = string_at(event.data, "message", "the run has ended");
  if (about.empty()) return log(nullptr, std::move(event));
  Node& target = node(about, now);
  set_identity(target, event.data);
  // The launcher names the process it started or signalled: after a restart that is a new pid.
  if (auto pid = whole_at(event.data, "pid")) target.pid = *pid;
  const std::string& name = event.name;
  if (name == tm::kNodeStarted) {
    set_state(target, NodeState::Alive);
  } else if (name == tm::kNodeRestarted) {
    set_state(target, NodeState::Alive);
    ++target.restarts;
  } else if (name == tm::kNodeKilled) {
    set_state(target, NodeState::Dead);
  } else if (name == tm::kNodeLeft) {
    set_state(target, NodeState::Left);
  } else if (name == tm::kNodeExited && target.state != NodeState::Left) {
    set_state(target, NodeState::Dead);  // a node that left and then exited stays "left"
  }
  event.node = about;
  return log(&target, std::move(event));
}

void LabModel::apply_node_event(Node& node, const LoggedEvent& event) {
  if (event.name != tm::kNodeListening) return;
  // A node says "listening" when its process starts, so this is also how a restart shows without the
  // launcher.
  set_state(node, NodeState::Alive);
  node.listen = string_at(event.data, "listen");
  node.pid = whole_at(event.data, "pid").value_or(0);
}

void LabModel::apply_node_list(const nlohmann::json& reply, double now) {
  const nlohmann::json* list = field_at(reply, "nodes");
  if (list == nullptr || !list->is_array()) return;
  for (const nlohmann::json& entry : *list) {
    std::string id =
        entry.is_string() ? entry.get<std::string>() : string_at(entry, "node", string_at(entry, "id"));
    std::string state = string_at(entry, "state");
    // A node still waiting for its arrival time has no process yet; node_started will bring it in.
    if (id.empty() || state == "waiting") continue;
    Node& target = node(id, now);
    set_identity(target, entry);
    if (auto known = state_named(state)) set_state(target, *known);
    if (auto pid = whole_at(entry, "pid")) target.pid = *pid;
    if (std::string listen = string_at(entry, "listen"); !listen.empty()) target.listen = listen;
  }
}

void LabModel::sample_rates() {
  history_.push(current_rates());
}

RateSample LabModel::current_rates() const {
  RateSample sum;
  for (const auto& [id, node] : nodes_) {
    if (node.state != NodeState::Alive) continue;
    sum.up_bps += node.up_bps;
    sum.down_bps += node.down_bps;
  }
  return sum;
}

const Node* LabModel::find(std::string_view id) const {
  auto it = nodes_.find(id);
  return it == nodes_.end() ? nullptr : &it->second;
}

std::size_t LabModel::count(NodeState state) const {
  std::size_t n = 0;
  for (const auto& [id, node] : nodes_) n += node.state == state ? 1 : 0;
  return n;
}

std::vector<std::string> LabModel::roles() const {
  std::set<std::string> roles;
  for (const auto& [id, node] : nodes_) {
    if (!node.role.empty()) roles.insert(node.role);
  }
  return {roles.begin(), roles.end()};
}

Node& LabModel::node(const std::string& id, double now) {
  auto [it, added] = nodes_.try_emplace(id);
  if (added) it->second.id = id;
  it->second.last_update = now;
  return it->second;
}

const LoggedEvent* LabModel::log(Node* node, LoggedEvent event) {
  if (node != nullptr) node->events.push(event);
  events_.push(std::move(event));
  return &events_.newest();
}

}  // namespace p2p::dashboard
