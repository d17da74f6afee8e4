// The supervisor of a lab's node processes.
#include "labs/launcher/supervisor.h"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include "common/telemetry/schema.h"
#include "labs/launcher/process.h"

namespace p2p::labs {
namespace {

namespace tm = ::p2p::telemetry;

// A start that still waits for an endpoint after this long is reported once: the node it waits for may
// never come (a typo in a count, a server that crashed at start).
constexpr double kWaitWarning = 10;
// How many nodes one spawn may add: a typo should not fork ten thousand processes.
constexpr std::size_t kMaxSpawn = 1000;
// How long one tick may spend starting nodes; the rest start at the next ticks. The launcher's sockets are
// served by the same thread between ticks: when 500 nodes started in one pass, on two busy cores, the
// recorder took in no node's connection for half a minute, and every record sent meanwhile (the server's
// logins among them) was lost.
constexpr double kStartBudget = 0.05;

std::string format_number(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

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
  if (std::size_t port = settings_.first_port + order_.size(); settings_.first_port != 0 && port <= 65535)
    node.listen = "127.0.0.1:" + std::to_string(port);
  ++per_role_[node.plan.role];
  order_.push_back(node.plan.id);
  return nodes_.emplace(node.plan.id, std::move(node)).first->second;
}

Supervisor::Node* Supervisor::find(const std::string& id) {
  auto it = nodes_.find(id);
  return it == nodes_.end() ? nullptr : &it->second;
}

nlohmann::json Supervisor::about(const Node& node) const {
  return {{"node", node.plan.id}, {"role", node.plan.role}, {"pid", node.pid}};
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
    if (node.state != ProcessState::Up || node.pid == 0 || node.listening) continue;
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

std::size_t Supervisor::index_in_role(const Node& node) {
  return std::stoul(node.plan.id.substr(node.plan.role.size() + 1));
}

std::optional<std::string> Supervisor::lookup(const Node& node, const Placeholder& p) const {
  auto listen_of = [&](const std::string& id) -> std::optional<std::string> {
    auto it = nodes_.find(id);
    if (it == nodes_.end() || !it->second.listening) return std::nullopt;
    return it->second.listen;
  };
  switch (p.kind) {
    case Placeholder::Kind::Node:
      return listen_of(p.name);
    case Placeholder::Kind::FirstOfRole:
      return listen_of(node_id(p.name, 0));
    case Placeholder::Kind::AllOfRole: {
      std::string all;
      for (const std::string& id : order_) {
        const Node& other = nodes_.at(id);
        if (other.plan.role != p.name || !other.listening || !running(other) || id == node.plan.id) continue;
        all += (all.empty() ? "" : ",") + other.listen;
      }
      return all;
    }
    case Placeholder::Kind::SystemKey:
      return scenario_.system_keys.at(p.name);
    case Placeholder::Kind::Neighbours:
      return neighbours_of(node);
    case Placeholder::Kind::Builtin:
      return builtin_value(scenario_, node.plan, p.name, settings_.out_dir);
  }
  return std::nullopt;
}

// The role's nodes as the overlay sees them, then the endpoints of those this node dials (overlay_plan.h).
std::optional<std::string> Supervisor::neighbours_of(const Node& node) const {
  std::vector<PeerState> peers(per_role_.at(node.plan.role), PeerState::Stopped);
  std::vector<const Node*> by_index(peers.size(), nullptr);
  for (const std::string& id : order_) {
    const Node& other = nodes_.at(id);
    if (other.plan.role != node.plan.role) continue;
    std::size_t i = index_in_role(other);
    by_index[i] = &other;
    if (other.state == ProcessState::Up)
      peers[i] = other.listening ? PeerState::Listening : PeerState::Starting;
  }
  // The random picks replay from the seed: one stream per node and life (the graphs use the role's index).
  Rng rng = Rng::for_node(stream(scenario_.seed, Stream::Topology, kPerNodeStreams + node.plan.index).next(),
                          node.starts);
  auto dial = overlays_.at(node.plan.role).to_dial(index_in_role(node), peers, rng);
  if (!dial) return std::nullopt;
  std::string list;
  for (std::size_t i : *dial) list += (list.empty() ? "" : ",") + by_index[i]->listen;
  return list;
}

std::vector<std::string> Supervisor::command_line(const Node& node, std::vector<std::string> args) const {
  std::vector<std::string> argv = {programs_.at(node.plan.role),
                                   "--node-id",
                                   node.plan.id,
                                   "--seed",
                                   std::to_string(node.seed),
                                   "--telemetry",
                                   settings_.telemetry,
                                   "--control",
                                   settings_.control};
  if (!node.plan.link.empty()) {
    const LinkProfile& link = scenario_.profiles.at(node.plan.link);
    argv.insert(argv.end(), {"--up-kbps", std::to_string(link.up_kbps), "--down-kbps",
                             std::to_string(link.down_kbps), "--latency-ms", format_number(link.latency_ms)});
  }
  // A restarted node listens where it did before, so that the others (and their retries) find it again.
  if (!node.listen.empty()) argv.insert(argv.end(), {"--listen", node.listen});
  argv.insert(argv.end(), std::make_move_iterator(args.begin()), std::make_move_iterator(args.end()));
  return argv;
}

bool Supervisor::try_start(Node& node) {
  auto args = args_.at(node.plan.role).expand([&](const Placeholder& p) { return lookup(node, p); });
  if (!args) return false;
  node.waiting_since = -1;
  std::string log = settings_.out_dir + "/logs/" + node.plan.id + ".log";
  auto pid = spawn_node(programs_.at(node.plan.role), command_line(node, std::move(*args)), log);
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
  emit_(first ? tm::kNodeStarted : tm::kNodeRestarted, std::move(data));
  const RoleSpec& role = *scenario_.role(node.plan.role);
  for (TimedAction& a :
       churn_actions(role.churn, node.plan.id, role.name, clock_(), node.starts, node.churn)) {
    agenda_.push(std::move(a));
  }
  return true;
}

void Supervisor::on_record(const nlohmann::json& record) {
  if (record.value("kind", "") != "event" || record.value("event", "") != tm::kNodeListening) return;
  Node* node = find(record.value("node", ""));
  const nlohmann::json& data = record["data"];
  if (!node || !data.is_object() || !data.contains("listen") || !data["listen"].is_string()) return;
  if (!running(*node)) return;
  node->listen = data["listen"].get<std::string>();
  node->listening = true;
  start_waiting();
}

Status Supervisor::kill(const std::string& id, const std::string& by) {
  Node* node = find(id);
  if (!node) return make_error("no node " + id);
  if (!running(*node))
    return make_error(id + " is not running (" + std::string(to_string(node->state)) + ")");
  signal_node(node->pid, SIGKILL);
  node->state = ProcessState::Killed;
  node->ending = Ending::Kill;
  ++counts_.nodes_killed;
  nlohmann::json data = about(*node);
  data["by"] = by;
  emit_(tm::kNodeKilled, std::move(data));
  return Ok{};
}

Status Supervisor::leave(const std::string& id, const std::string& by) {
  Node* node = find(id);
  if (!node) return make_error("no node " + id);
  if (node->state != ProcessState::Up) {
    return make_error(id + " is not running (" + std::string(to_string(node->state)) + ")");
  }
  // SIGTERM is a graceful leave for every node (common/host/host.h): it says goodbye, then exits.
  signal_node(node->pid, SIGTERM);
  node->state = ProcessState::Leaving;
  node->ending = Ending::Leave;
  ++counts_.nodes_left;
  nlohmann::json data = about(*node);
  data["by"] = by;
  emit_(tm::kNodeLeft, std::move(data));
  return Ok{};
}

Status Supervisor::restart(const std::string& id, const std::string& by) {
  Node* node = find(id);
  if (!node) return make_error("no node " + id);
  if (shutting_down_) return make_error("the lab is ending");
  if (running(*node)) {
    auto killed = kill(id, by);
    if (!killed) return killed;
    node->restart_after_exit = true;
    return Ok{};
  }
  if (node->pid != 0) {  // killed or left, but not reaped yet: start once it is gone, so the port is free
    node->restart_after_exit = true;
    return Ok{};
  }
  queue_start(*node);
  return Ok{};
}

Expected<std::vector<std::string>> Supervisor::spawn(const std::string& role_name, std::size_t count,
                                                     const std::string& by) {
  const RoleSpec* role = scenario_.role(role_name);
  if (!role) return make_error("no role " + role_name);
  if (count == 0 || count > kMaxSpawn)
    return make_error("spawn: count must be 1 to " + std::to_string(kMaxSpawn));
  if (shutting_down_) return make_error("the lab is ending");
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < count; ++i) {
    Node& node = add_node(plan_extra_node(scenario_, *role, order_.size(), per_role_[role_name]));
    ids.push_back(node.plan.id);
    queue_start(node);
  }
  emit_("nodes_spawned", {{"role", role_name}, {"nodes", ids}, {"by", by}});
  return ids;
}

void Supervisor::reap() {
  for (const std::string& id : order_) {
    Node& node = nodes_.at(id);
    if (node.pid == 0) continue;
    if (auto status = try_reap(node.pid)) ended(node, status->code, status->signal);
  }
}

void Supervisor::ended(Node& node, int code, int signal) {
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

void Supervisor::shutdown(double grace) {
  shutting_down_ = true;
  for (auto& [id, node] : nodes_) {
    node.waiting_since = -1;
    if (node.pid == 0) continue;
    if (node.ending == Ending::None) node.ending = Ending::Shutdown;
    signal_node(node.pid, SIGTERM);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(grace);
  while (!running_pids().empty() && std::chrono::steady_clock::now() < deadline) {
    reap();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (auto& [id, node] : nodes_) {
    if (node.pid != 0) signal_node(node.pid, SIGKILL);
  }
  while (!running_pids().empty()) {
    reap();
    if (!running_pids().empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
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
  }
  return list;
}

}  // namespace p2p::labs
