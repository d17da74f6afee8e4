// The supervisor: every node of a lab as its own process, started, stopped and restarted as the scenario,
// churn and the commands say, with the launcher's events about each node's life.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/util/expected.h"
#include "common/util/random.h"
#include "labs/launcher/args_template.h"
#include "labs/launcher/lab_plan.h"
#include "labs/launcher/overlay_plan.h"
#include "labs/launcher/placement.h"
#include "labs/launcher/remote_hosts.h"
#include "labs/launcher/scenario.h"
#include "labs/launcher/summary.h"

namespace p2p::labs {

// A node's life as the launcher sees it. Up covers a started process that has not announced its endpoint yet.
enum class ProcessState { Waiting, Up, Leaving, Killed, Left, Exited, Crashed };
std::string_view to_string(ProcessState state);

struct SupervisorSettings {
  std::string out_dir;    // the run folder; logs go to OUT/logs/<node>.log
  std::string telemetry;  // the recorder's XSUB endpoint, given to every node as --telemetry
  std::string control;    // the launcher's PUB endpoint, given as --control
  // 0: a node listens on a port the system picks. Otherwise node k (in the order the run makes them) listens
  // on first_port + k, so a capture can filter on the lab's ports alone (tshark -f 'tcp portrange A-B').
  std::uint16_t first_port = 0;
  // A lab across hosts (remote_hosts.h): where each node goes, and the connections that start it there. Both
  // null for a lab on this machine alone. A remote node listens on its host's address at a planned port
  // (first_port, or kRemoteFirstPort, plus its slot on the host), since the launcher cannot read the
  // host's /proc to learn a port the system picked.
  Placement* placement = nullptr;
  RemoteHosts* remote = nullptr;
};

// How long a start waits for a node's old port to be free before it takes a new one (port_settled).
inline constexpr double kPortGrace = 0.5;

// Where remote nodes' ports start without --first-port: below Linux's ephemeral ports (32768 and up).
inline constexpr std::uint16_t kRemoteFirstPort = 20000;

// Applies the plan (arrivals, timeline), churn and commands to real processes. Single-threaded: the
// launcher's Reactor calls it. Time is seconds since the start of the run, from the clock it is given.
class Supervisor {
 public:
  // Launcher events, named as in common/telemetry/schema.h (node_started...), with their data.
  using Emit = std::function<void(std::string_view event, nlohmann::json data)>;
  // One line for the person running the lab (a crash, a node that cannot start).
  using Notice = std::function<void(const std::string& line)>;
  using Clock = std::function<double()>;

  // Fails if a role's program cannot be found or its args template is broken.
  static Expected<std::unique_ptr<Supervisor>> create(const Scenario& scenario, SupervisorSettings settings,
                                                      Clock clock, Emit emit, Notice notice);

  // Runs the actions now due and starts nodes whose endpoints became known. Call it often (every 50 ms).
  void tick();
  // Learns listen endpoints from the nodes' "listening" events (tick() also reads them from /proc).
  void on_record(const nlohmann::json& record);
  // Reaps children that ended (on SIGCHLD).
  void reap();

  // The commands (from the timeline, churn, or the command endpoint; `by` says which, for the events).
  Status kill(const std::string& node, const std::string& by);
  Status leave(const std::string& node, const std::string& by);
  // A running node is killed and started again; a stopped one is started. Same id, seed, link and port.
  Status restart(const std::string& node, const std::string& by);
  Expected<std::vector<std::string>> spawn(const std::string& role, std::size_t count, const std::string& by);

  // [{"id","role","state","pid","listen","link","starts"}...] in index order, with "host" in a lab across
  // hosts.
  nlohmann::json node_list() const;
  // Ends every node: {"cmd":"stop"} is the caller's to send; here SIGTERM to each group, up to `grace`
  // seconds for them to exit, SIGKILL for the rest, and every child reaped.
  void shutdown(double grace);

  // Whether actions are still to come: arrivals, timeline actions, churn.
  bool plan_pending() const { return !agenda_.empty(); }
  const RunCounts& counts() const { return counts_; }
  std::size_t nodes_up() const;
  std::size_t nodes_known() const { return order_.size(); }
  std::vector<pid_t> running_pids() const;

 private:
  enum class Ending { None, Kill, Leave, Shutdown };
  struct Node {
    PlannedNode plan;
    std::uint64_t seed = 0;
    ProcessState state = ProcessState::Waiting;
    pid_t pid = 0;           // while the process exists (until reaped)
    std::string listen;      // "127.0.0.1:PORT", planned (first_port) or announced; kept across restarts
                             // unless another process holds the port then (port_settled)
    bool listening = false;  // this life of the process has been seen listening
    std::uint64_t starts = 0;
    Rng churn;
    Ending ending = Ending::None;
    bool restart_after_exit = false;
    double waiting_since = -1;  // a start waiting for an endpoint, or -1
    bool warned = false;
    std::optional<HostSlot> place;  // in a lab across hosts
    int control_fd = -1;            // a remote node's wrapper input, while its process exists
  };

  Supervisor(const Scenario& scenario, SupervisorSettings settings, Clock clock, Emit emit, Notice notice);

  void apply(const TimedAction& action);
  void apply_to_role(const TimedAction& action);
  Node& add_node(PlannedNode plan);
  void queue_start(Node& node);
  void learn_endpoints();
  void start_waiting();
  // Whether this tick's time for starting nodes is left (kStartBudget).
  bool may_start_now() const;
  // Whether the node may start now on the port in `listen`, or on a new one (`listen` cleared) when another
  // process has held it for kPortGrace; false while it waits for the port.
  bool port_settled(Node& node);
  bool try_start(Node& node);
  std::optional<std::string> lookup(const Node& node, const Placeholder& p) const;
  std::optional<std::string> neighbours_of(const Node& node) const;
  static std::size_t index_in_role(const Node& node);
  std::vector<std::string> command_line(const Node& node, std::vector<std::string> args) const;
  Expected<pid_t> launch(Node& node, std::vector<std::string> args);
  void signal(const Node& node, int sig);
  void ended(Node& node, int code, int signal);
  Node* find(const std::string& id);
  static bool running(const Node& node) {
    return node.state == ProcessState::Up || node.state == ProcessState::Leaving;
  }
  nlohmann::json about(const Node& node) const;

  const Scenario& scenario_;
  SupervisorSettings settings_;
  Clock clock_;
  Emit emit_;
  Notice notice_;
  std::map<std::string, std::string> programs_;  // role -> path
  std::map<std::string, ArgsTemplate> args_;     // role -> template
  std::map<std::string, RoleOverlay> overlays_;  // role -> its topology, for roles that have one
  std::map<std::string, Node> nodes_;
  std::vector<std::string> order_;
  std::map<std::string, std::size_t> per_role_;  // nodes made so far, for the next spawned index
  Agenda agenda_;
  Rng pick_;
  RunCounts counts_;
  bool shutting_down_ = false;
  double pass_began_ = 0;  // when the current tick began, on clock_
};

}  // namespace p2p::labs
