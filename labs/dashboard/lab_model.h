// LabModel: the dashboard's picture of a running lab, built only from telemetry records (no terminal, no
// sockets).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "labs/dashboard/ring.h"

namespace p2p::dashboard {

// What the supervisor last said about a node's process. Only the launcher's events and a node's own
// "listening" change it: a status record still in flight after a kill must not bring a dead node back.
enum class NodeState { Alive, Dead, Left };
std::string_view to_string(NodeState state);

// One event record as the log keeps it. `node` is the node it is about: for launcher events that is
// data.node, not "launcher".
struct LoggedEvent {
  double t = 0;  // the record's time (wall-clock seconds of its publisher)
  std::string node;
  std::string source;  // who published it: the node itself, or "launcher"
  std::string system;
  std::string name;
  nlohmann::json data;
};

inline constexpr std::size_t kEventsPerNode = 24;

// Everything known about one node: its identity, link figures and latest core status (schema v1).
struct Node {
  std::string id;
  std::string system;
  std::string role;
  NodeState state = NodeState::Alive;
  double up_bps = 0;
  double down_bps = 0;
  std::size_t conns = 0;
  nlohmann::json sys = nlohmann::json::object();  // the core's status() from the latest status record
  nlohmann::json previous_sys = nlohmann::json::object();
  double status_t = 0;           // record time of `sys`; 0 before the first status
  double previous_status_t = 0;  // record time of `previous_sys`
  double last_update = 0;        // dashboard clock (seconds) when a record about the node last arrived
  std::string listen;            // from its "listening" event
  std::string host;              // the host it runs on in a lab across hosts (node_started), or empty
  std::int64_t pid = 0;
  std::uint32_t restarts = 0;
  Ring<LoggedEvent> events{kEventsPerNode};

  // How fast a counter in `sys` grew between the last two status records (searches/s from "searches"),
  // or nothing when it is not a number in both, or went backwards (the node restarted).
  std::optional<double> rate_of(std::string_view field) const;
};

// Lab-wide upload and download, summed over live nodes at one moment.
struct RateSample {
  double up_bps = 0;
  double down_bps = 0;
};

// Folds telemetry records into a node table, a lab-wide event log and a history of aggregate rates. Each
// record costs one map lookup, so 500 nodes publishing twice a second stay cheap. Nodes are never erased,
// so pointers to them stay valid for the dashboard's lifetime.
class LabModel {
 public:
  explicit LabModel(std::size_t log_capacity = 500, std::size_t history_capacity = 400);

  // Takes one schema-v1 record (already checked with telemetry::is_valid_record). `now` is the dashboard's
  // clock in seconds, used only for "last update". Returns the event as logged, or null for a status.
  const LoggedEvent* apply(nlohmann::json record, double now);
  // Takes the launcher's reply to {"cmd":"nodes"}: {"ok":true,"nodes":[{"id":..,"role":..,"state":..},...]}
  // ("node" for "id", and plain names, are accepted too), so a dashboard attached to a running lab knows who
  // is there. Nodes still "waiting" to arrive are left out.
  void apply_node_list(const nlohmann::json& reply, double now);
  // Appends the current lab-wide rates to the history; the dashboard calls it once a second.
  void sample_rates();

  using NodeMap = std::map<std::string, Node, std::less<>>;
  const NodeMap& nodes() const { return nodes_; }
  const Node* find(std::string_view id) const;
  const Ring<LoggedEvent>& events() const { return events_; }
  const Ring<RateSample>& history() const { return history_; }
  RateSample current_rates() const;
  std::size_t count(NodeState state) const;
  // The distinct roles seen, sorted.
  std::vector<std::string> roles() const;
  std::uint64_t records() const { return records_; }
  // The launcher's closing message once it says the run is over ("lab_ended"); empty while the lab runs.
  const std::string& ended() const { return ended_; }

 private:
  Node& node(const std::string& id, double now);
  void apply_status(Node& node, nlohmann::json& record);
  const LoggedEvent* apply_launcher_event(LoggedEvent event, double now);
  void apply_node_event(Node& node, const LoggedEvent& event);
  const LoggedEvent* log(Node* node, LoggedEvent event);

  NodeMap nodes_;
  Ring<LoggedEvent> events_;
  Ring<RateSample> history_;
  std::uint64_t records_ = 0;
  std::string ended_;
};

}  // namespace p2p::dashboard
