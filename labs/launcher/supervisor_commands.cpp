// The supervisor's commands (kill, leave, restart, spawn), from the timeline, churn or the command endpoint,
// and the end of every node at the end of the lab.
#include "labs/launcher/supervisor.h"

#include <signal.h>

#include <chrono>
#include <thread>

#include "common/telemetry/schema.h"
#include "labs/launcher/process.h"

namespace p2p::labs {
namespace {

namespace tm = ::p2p::telemetry;

// How many nodes one spawn may add: a typo should not fork ten thousand processes.
constexpr std::size_t kMaxSpawn = 1000;

}  // namespace

Status Supervisor::kill(const std::string& id, const std::string& by) {
  Node* node = find(id);
  if (!node) return make_error("no node " + id);
  if (!running(*node))
    return make_error(id + " is not running (" + std::string(to_string(node->state)) + ")");
  signal(*node, SIGKILL);
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
  signal(*node, SIGTERM);
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
    if (settings_.placement) {
      auto place = settings_.placement->add(*role, order_.size());
      if (!place && ids.empty()) return place.error();
      if (!place) {
        notice_("spawn: " + place.reason() + "; " + std::to_string(ids.size()) + " started");
        break;
      }
    }
    Node& node = add_node(plan_extra_node(scenario_, *role, order_.size(), per_role_[role_name]));
    ids.push_back(node.plan.id);
    queue_start(node);
  }
  emit_("nodes_spawned", {{"role", role_name}, {"nodes", ids}, {"by", by}});
  return ids;
}

void Supervisor::shutdown(double grace) {
  shutting_down_ = true;
  for (auto& [id, node] : nodes_) {
    node.waiting_since = -1;
    if (node.pid == 0) continue;
    if (node.ending == Ending::None) node.ending = Ending::Shutdown;
    signal(node, SIGTERM);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(grace);
  while (!running_pids().empty() && std::chrono::steady_clock::now() < deadline) {
    reap();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (auto& [id, node] : nodes_) {
    if (node.pid != 0) signal(node, SIGKILL);
  }
  // A remote node's ssh that its wrapper has not ended by now has lost its channel: end it here.
  auto last_call = std::chrono::steady_clock::now() + std::chrono::duration<double>(grace);
  while (!running_pids().empty() && std::chrono::steady_clock::now() < last_call) {
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

}  // namespace p2p::labs
