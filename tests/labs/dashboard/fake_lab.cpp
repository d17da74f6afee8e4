// A fake lab for the dashboard's tmux test: a launcher stand-in (REP commands, PUB telemetry for a Napster
// server and four peers) running beside the real dashboard in one terminal.
//   dashboard_fake_lab COMMAND_LOG PID_FILE [PEERS]
// PEERS (4 by default) can be raised to 500 to watch the dashboard at scale by hand. Every command received
// is appended to COMMAND_LOG as one JSON line; the process's pid goes to PID_FILE.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <thread>

#include <zmq.hpp>

#include "common/telemetry/schema.h"
#include "labs/dashboard/dashboard.h"

namespace {

using namespace std::chrono_literals;
namespace tm = p2p::telemetry;

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Plays the launcher: nodes publish a status every 200 ms; commands change their state and are answered
// the way labs/launcher answers them, with the launcher's node_* event published right after the reply.
class FakeLauncher {
 public:
  FakeLauncher(zmq::context_t& context, std::string log_path, int peers)
      : telemetry_(context, zmq::socket_type::pub),
        commands_(context, zmq::socket_type::rep),
        log_(log_path) {
    telemetry_.bind("tcp://127.0.0.1:*");
    commands_.bind("tcp://127.0.0.1:*");
    telemetry_.set(zmq::sockopt::linger, 0);
    commands_.set(zmq::sockopt::linger, 0);
    nodes_["server-0"] = {"server", true};
    for (int i = 1; i <= peers; ++i) nodes_["peer-" + std::to_string(i)] = {"peer", true};
  }
  std::string telemetry_endpoint() { return telemetry_.get(zmq::sockopt::last_endpoint); }
  std::string command_endpoint() { return commands_.get(zmq::sockopt::last_endpoint); }

  void run(const std::atomic<bool>& stop) {
    auto next_status = std::chrono::steady_clock::now();
    while (!stop) {
      zmq::pollitem_t items[] = {{commands_.handle(), 0, ZMQ_POLLIN, 0}};
      zmq::poll(items, 1, 50ms);
      if (items[0].revents & ZMQ_POLLIN) answer();
      if (std::chrono::steady_clock::now() >= next_status) {
        publish_statuses();
        next_status += 200ms;
      }
    }
  }

 private:
  struct FakeNode {
    std::string role;
    bool alive = false;
  };

  void answer() {
    zmq::message_t message;
    if (!commands_.recv(message)) return;
    auto request = nlohmann::json::parse(message.to_string_view(), nullptr, false);
    log_ << request.dump() << std::endl;
    std::string cmd = request.value("cmd", "");
    std::string node = request.value("node", "");
    nlohmann::json reply = {{"ok", true}};
    std::string event;
    if (cmd == "nodes") {
      reply["nodes"] = nlohmann::json::array();
      for (const auto& [id, n] : nodes_) reply["nodes"].push_back({{"node", id}, {"role", n.role}});
    } else if (cmd == "kill" || cmd == "leave" || cmd == "restart") {
      if (nodes_.count(node) == 0) {
        reply = {{"ok", false}, {"error", "no node " + node}};
      } else {
        nodes_[node].alive = cmd == "restart";
        event = cmd == "kill" ? tm::kNodeKilled : cmd == "leave" ? tm::kNodeLeft : tm::kNodeRestarted;
      }
    }
    std::string text = reply.dump();
    (void)commands_.send(zmq::buffer(text));
    if (!event.empty()) {
      publish(tm::make_event({"launcher", "launcher", "launcher"}, wall_seconds(), event,
                             {{"node", node}, {"role", nodes_[node].role}}));
    }
  }

  void publish_statuses() {
    int i = 0;
    for (const auto& [id, n] : nodes_) {
      if (!n.alive) continue;
      ++i;
      nlohmann::json sys = n.role == "server"
                               ? nlohmann::json{{"files", 4000}, {"users", 4}, {"searches", ticks_ * 3}}
                               : nlohmann::json{{"server_state", "online"}};
      publish(tm::make_status({id, "napster", n.role}, wall_seconds(), {1000.0 * i, 2000.0 * i, 1}, sys));
    }
    ++ticks_;
  }

  void publish(const nlohmann::json& record) {
    std::string text = record.dump();
    (void)telemetry_.send(zmq::buffer(text), zmq::send_flags::dontwait);
  }

  zmq::socket_t telemetry_;
  zmq::socket_t commands_;
  std::ofstream log_;
  std::map<std::string, FakeNode> nodes_;
  int ticks_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) return 2;
  std::ofstream(argv[2]) << getpid() << std::endl;
  zmq::context_t context;
  FakeLauncher launcher(context, argv[1], argc == 4 ? std::atoi(argv[3]) : 4);
  p2p::labs::DashboardOptions options;
  options.telemetry = launcher.telemetry_endpoint();
  options.commands = launcher.command_endpoint();
  options.owns_lab = true;
  options.refresh = 250ms;

  std::atomic<bool> stop = false;
  std::thread lab([&] { launcher.run(stop); });
  int code = p2p::labs::run_dashboard(options);
  stop = true;
  lab.join();
  return code;
}
