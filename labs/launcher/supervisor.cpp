// The supervisor of a lab's node processes.
#include "labs/launcher/supervisor.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "common/telemetry/schema.h"
#include "labs/launcher/node_command.h"
#include "labs/launcher/process.h"

namespace p2p::labs {
namespace {

namespace tm = ::p2p::telemetry;

// A start that still waits for an endpoint after this long is reported once: the node it waits for may
// never come (a typo in a count, a server that crashed at start).
constexpr double kWaitWarning = 10;
// How long one tick may spend starting nodes; the rest start at the next ticks. The launcher's sockets are
// served by the same thread between ticks: when 500 nodes started in one pass, on two busy cores, the
// recorder took in no node's connection for half a minute, and every record sent meanwhile (the server's
// logins among them) was lost.
constexpr double kStartBudget = 0.05;

}  // namespace

std::string_view to_string(ProcessState state) {
  switch (state) {
    case ProcessState::Waiting:
      return "waiting";
    case ProcessState::Up:
      return "up";
    case ProcessState::Leaving:
      return "leaving";
    case ProcessState::Killed:
      return "killed";
    case ProcessState::Left:
      return "left";
    case ProcessState::Exited:
      return "exited";
    case ProcessState::Crashed:
      return "crashed";
  }
  return "?";
}

Expected<std::unique_ptr<Supervisor>> Supervisor::create(const Scenario& scenario,
                                                         SupervisorSettings settings, Clock clock, Emit emit,
                                                         Notice notice) {
  std::unique_ptr<Supervisor> s(
      new Supervisor(scenario, std::move(settings), std::move(clock), std::move(emit), std::move(notice)));
  for (std::size_t r = 0; r < scenario.roles.size(); ++r) {
    const RoleSpec& role = scenario.roles[r];
    auto program = find_program(role.binary);
    if (!program) return make_error("role." + role.name + ".binary: " + program.reason());
    auto args = ArgsTemplate::parse(role.args);
    if (!args) return make_error("role." + role.name + "." + args.reason());
    s->programs_[role.name] = *program;
    s->args_.emplace(role.name, std::move(*args));
    if (role.topology.none()) continue;
    auto overlay =
        RoleOverlay::make(role.topology, role.count, stream(scenario.seed, Stream::Topology, r).next());
    if (!overlay) return make_error("role." + role.name + ".topology: " + overlay.reason());
    s->overlays_.emplace(role.name, std::move(*overlay));
  }
  std::filesystem::create_directories(std::filesystem::path(s->settings_.out_dir) / "logs");
  LabPlan plan = plan_lab(scenario);
  for (PlannedNode& node : plan.nodes) s->add_node(std::move(node));
  s->agenda_ = std::move(plan.agenda);
  return s;
}

Supervisor::Supervisor(const Scenario& scenario, SupervisorSettings settings, Clock clock, Emit emit,
                       Notice notice)
    : scenario_(scenario),
      settings_(std::move(settings)),
      clock_(std::move(clock)),
      emit_(std::move(emit)),
      notice_(std::move(notice)),
      pick_(stream(scenario.seed, Stream::Pick, 0)) {}

Supervisor::Node& Supervisor::add_node(PlannedNode plan) {
  Node node;
  node.seed = node_seed(scenario_.seed, plan.index);
  node.churn = stream(scenario_.seed, Stream::Churn, plan.index);
  node.plan = std::move(plan);
  if (settings_.placement) {
    node.place = settings_.placement->of(node.plan.index);
    std::size_t first = settings_.first_port != 0 ? settings_.first_port : kRemoteFirstPort;
    node.listen =
        settings_.remote->address(node.place->host) + ":" + std::to_string(first + node.place->slot);
  } else if (std::size_t port = settings_.first_port + order_.size();
             settings_.first_port != 0 && port <= 65535) {
    node.listen = "127.0.0.1:" + std::to_string(port);
  }
  ++per_role_[node.plan.role];
  order_.push_back(node.plan.id);
  return nodes_.emplace(node.plan.id, std::move(node)).first->second;
}

Supervisor::Node* Supervisor::find(const std::string& id) {
  auto it = nodes_.find(id);
  return it == nodes_.end() ? nullptr : &it->second;
}

nlohmann::json Supervisor::about(const Node& node) const {
  nlohmann::json about = {{"node", node.plan.id}, {"role", node.plan.role}, {"pid", node.pid}};
  if (node.place) about["host"] = settings_.remote->spec(node.place->host).name;
  return about;
}

void Supervisor::tick() {
  if (shutting_down_) return;
  pass_began_ = clock_();
  for (const TimedAction& action : agenda_.take_due(clock_())) apply(action);
  learn_endpoints();
  start_waiting();
}

void Supervisor::apply(const TimedAction& action) {
  const std::string by = action.life                               ? "churn"
                         : action.kind == TimedAction::Kind::Start ? "arrival"
                                                                   : "timeline";
  if (action.kind == TimedAction::Kind::Spawn) {
    if (auto made = spawn(action.role, action.count.value_or(1), by); !made) notice_(made.reason());
    return;
  }
  if (action.node.empty()) {
    apply_to_role(action);
    return;
  }
  Node* node = find(action.node);
  if (!node) {
    notice_("timeline '" + action.text() + "': there is no node " + action.node);
    return;
  }
  // Churn acts on the life it was drawn for; a node restarted meanwhile has a new one.
  if (action.life && action.life != node->starts) return;
  // A churn rejoin of a node that someone else has brought back already has nothing to do.
  if (action.life && action.kind == TimedAction::Kind::Restart && running(*node)) return;
  Status done = Ok{};
  switch (action.kind) {
    case TimedAction::Kind::Start:
      queue_start(*node);
      break;
    case TimedAction::Kind::Kill:
      done = kill(action.node, by);
      break;
    case TimedAction::Kind::Leave:
      done = leave(action.node, by);
      break;
    case TimedAction::Kind::Restart:
      done = restart(action.node, by);
      break;
    case TimedAction::Kind::Spawn:
      break;
  }
  if (!done && !action.life) notice_("timeline '" + action.text() + "': " + done.reason());
}

void Supervisor::apply_to_role(const TimedAction& action) {
  std::vector<std::string> targets;
  for (const std::string& id : order_) {
    const Node& n = nodes_.at(id);
    if (n.plan.role != action.role) continue;
    bool wanted = action.kind == TimedAction::Kind::Restart ? !running(n) && n.starts > 0 : running(n);
    if (wanted) targets.push_back(id);
  }
  if (action.count && *action.count < targets.size()) {
    pick_.shuffle(targets);
    targets.resize(*action.count);
  }
  for (const std::string& id : targets) {
    if (action.kind == TimedAction::Kind::Kill) (void)kill(id, "timeline");
    if (action.kind == TimedAction::Kind::Leave) (void)leave(id, "timeline");
    if (action.kind == TimedAction::Kind::Restart) (void)restart(id, "timeline");
  }
}

void Supervisor::queue_start(Node& node) {
  if (running(node) || node.waiting_since >= 0 || shutting_down_) return;
  node.waiting_since = clock_();
  // When it must wait (for an endpoint, or for the next tick), start_waiting() tries again.
  if (may_start_now()) try_start(node);
}

bool Supervisor::may_start_now() const {
  return clock_() - pass_began_ < kStartBudget;
}

void Supervisor::learn_endpoints() {
  for (const std::string& id : order_) {
    Node& node = nodes_.at(id);
    if (node.state != ProcessState::Up || node.pid == 0 || node.listening || node.place) continue;
    if (auto port = listening_port(node.pid)) {
      node.listen = "127.0.0.1:" + std::to_string(*port);
      node.listening = true;
    }
  }
}

void Supervisor::start_waiting() {
  double now = clock_();
  for (const std::string& id : order_) {
    Node& node = nodes_.at(id);
    if (node.waiting_since < 0) continue;
    if (!may_start_now()) return;
    if (try_start(node) || node.warned || now - node.waiting_since < kWaitWarning) continue;
    node.warned = true;
    notice_(id + " is still waiting for the endpoint its args name (" + scenario_.role(node.plan.role)->args +
            ")");
  }
}

std::vector<std::string> Supervisor::command_line(const Node& node, std::vector<std::string> args) const {
  // A restarted node listens where it did before, so that the others (and their retries) find it again.
  NodeCommand command{programs_.at(node.plan.role),
                      node.plan.id,
                      node.seed,
                      settings_.telemetry,
                      settings_.control,
                      nullptr,
                      node.listen,
                      false};
  if (!node.plan.link.empty()) command.link = &scenario_.profiles.at(node.plan.link);
  if (node.place) {
    command.program = settings_.remote->program(node.place->host, command.program);
    command.telemetry = settings_.remote->endpoint_for(node.place->host, settings_.telemetry);
    command.control = settings_.remote->endpoint_for(node.place->host, settings_.control);
    command.beyond_loopback = true;
  }
  return node_argv(command, std::move(args));
}

Expected<pid_t> Supervisor::launch(Node& node, std::vector<std::string> args) {
  std::string log = settings_.out_dir + "/logs/" + node.plan.id + ".log";
  if (!node.place) return spawn_node(programs_.at(node.plan.role), command_line(node, std::move(args)), log);
  auto remote = settings_.remote->start(*node.place, command_line(node, std::move(args)), log);
  if (!remote) return remote.error();
  node.control_fd = remote->control_fd;
  return remote->pid;
}

// A remote node's signal goes through its wrapper; SIGKILL also ends the local ssh that carries it, in case
// the channel no longer answers (the wrapper kills the node when the channel closes).
void Supervisor::signal(const Node& node, int sig) {
  if (node.control_fd < 0) {
    signal_node(node.pid, sig);
    return;
  }
  RemoteHosts::signal(RemoteNode{node.pid, node.control_fd}, sig);
}

bool Supervisor::try_start(Node& node) {
  auto args = args_.at(node.plan.role).expand([&](const Placeholder& p) { return lookup(node, p); });
  if (!args || !port_settled(node)) return false;
  node.waiting_since = -1;
  auto pid = launch(node, std::move(*args));
  if (!pid) {
    notice_(node.plan.id + ": " + pid.reason());
    node.state = ProcessState::Crashed;
    ++counts_.nodes_crashed;
    return true;
  }
  node.pid = *pid;
  node.state = ProcessState::Up;
  node.ending = Ending::None;
  bool first = node.starts++ == 0;
  if (first) {
    ++counts_.nodes_started;
  } else {
    ++counts_.nodes_restarted;
  }
  nlohmann::json data = start_facts(scenario_, node.plan);
  data["pid"] = node.pid;
  if (node.place) data["host"] = settings_.remote->spec(node.place->host).name;
  emit_(first ? tm::kNodeStarted : tm::kNodeRestarted, std::move(data));
  const RoleSpec& role = *scenario_.role(node.plan.role);
  for (TimedAction& a :
       churn_actions(role.churn, node.plan.id, role.name, clock_(), node.starts, node.churn)) {
    agenda_.push(std::move(a));
  }
  return true;
}

void Supervisor::on_record(const nlohmann::json& record) {
  Node* node = find(record.value("node", ""));
  // A remote node binds its planned port before it publishes anything: any record of it says it listens,
  // should its "listening" event have been lost.
  if (node && node->place && running(*node) && !node->listening) {
    node->listening = true;
    start_waiting();
  }
  if (record.value("kind", "") != "event" || record.value("event", "") != tm::kNodeListening) return;
  const nlohmann::json& data = record["data"];
  if (!node || !data.is_object() || !data.contains("listen") || !data["listen"].is_string()) return;
  if (!running(*node)) return;
  node->listen = data["listen"].get<std::string>();
  node->listening = true;
  start_waiting();
}

void Supervisor::reap() {
  for (const std::string& id : order_) {
    Node& node = nodes_.at(id);
    if (node.pid == 0) continue;
    if (auto status = try_reap(node.pid)) ended(node, status->code, status->signal);
  }
}

void Supervisor::ended(Node& node, int code, int signal) {
  if (node.control_fd >= 0) {
    ::close(node.control_fd);
    node.control_fd = -1;
    // ssh exits with the remote wrapper's status: 128 + N when signal N ended the node.
    if (signal == 0 && code > 128 && code < 128 + NSIG) signal = code - 128;
  }
  bool expected = node.ending != Ending::None || shutting_down_;
  switch (node.ending) {
    case Ending::Kill:
      node.state = ProcessState::Killed;
      break;
    case Ending::Leave:
      node.state = ProcessState::Left;
      break;
    case Ending::Shutdown:
      node.state = ProcessState::Exited;
      break;
    case Ending::None:
      if (shutting_down_ || code == 0) {
        node.state = ProcessState::Exited;
      } else {
        node.state = ProcessState::Crashed;
        ++counts_.nodes_crashed;
        notice_(node.plan.id + " crashed (exit code " + std::to_string(code) + "); see " + settings_.out_dir +
                "/logs/" + node.plan.id + ".log");
      }
      break;
  }
  nlohmann::json data = about(node);
  data["code"] = code;
  data["signal"] = signal;
  data["expected"] = expected;
  emit_(tm::kNodeExited, std::move(data));
  node.pid = 0;
  node.listening = false;
  if (node.restart_after_exit && !shutting_down_) {
    node.restart_after_exit = false;
    queue_start(node);
  }
}

std::size_t Supervisor::nodes_up() const {
  return static_cast<std::size_t>(
      std::count_if(nodes_.begin(), nodes_.end(), [](const auto& entry) { return running(entry.second); }));
}

std::vector<pid_t> Supervisor::running_pids() const {
  std::vector<pid_t> pids;
  for (const auto& [id, node] : nodes_) {
    if (node.pid != 0) pids.push_back(node.pid);
  }
  return pids;
}

nlohmann::json Supervisor::node_list() const {
  nlohmann::json list = nlohmann::json::array();
  for (const std::string& id : order_) {
    const Node& n = nodes_.at(id);
    list.push_back({{"id", id},
                    {"role", n.plan.role},
                    {"state", to_string(n.state)},
                    {"pid", n.pid},
                    {"listen", n.listen},
                    {"link", n.plan.link},
                    {"starts", n.starts}});
    if (n.place) list.back()["host"] = settings_.remote->spec(n.place->host).name;
  }
  return list;
}

}  // namespace p2p::labs
