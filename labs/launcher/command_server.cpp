// The command endpoint's protocol and socket.
#include "labs/launcher/command_server.h"

#include "common/telemetry/control.h"
#include "labs/launcher/inbound_limits.h"

namespace p2p::labs {
namespace {

constexpr std::size_t kMaxRequestBytes = 64 * 1024;

nlohmann::json failure(const std::string& why) {
  return {{"ok", false}, {"error", why}};
}

std::string string_field(const nlohmann::json& request, const char* key) {
  auto it = request.find(key);
  return it != request.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

nlohmann::json handle_command(const nlohmann::json& request, LabHandle& lab) {
  if (!request.is_object()) return failure("expected a JSON object like {\"cmd\":\"nodes\"}");
  const std::string cmd = string_field(request, "cmd");
  if (cmd == "quit") {
    lab.quit();
    return {{"ok", true}};
  }
  if (cmd == "info") {
    nlohmann::json reply = lab.info();
    reply["ok"] = true;
    return reply;
  }
  const bool node_command = cmd == "nodes" || cmd == "kill" || cmd == "leave" || cmd == "restart" ||
                            cmd == "spawn" || cmd == "rate";
  if (!node_command) {
    return failure("unknown cmd '" + cmd + "' (known: nodes, kill, leave, restart, spawn, rate, info, quit)");
  }
  if (!lab.supervisor) return failure("the run has ended");
  Supervisor& supervisor = *lab.supervisor;
  if (cmd == "nodes") {
    nlohmann::json reply = {{"ok", true}, {"nodes", supervisor.node_list()}};
    reply["t"] = lab.info().value("elapsed", 0.0);
    return reply;
  }
  if (cmd == "spawn") {
    std::string role = string_field(request, "role");
    std::size_t count = 1;
    if (request.contains("count")) {
      if (!request["count"].is_number_unsigned()) return failure("spawn: count must be a whole number");
      count = request["count"].get<std::size_t>();
    }
    auto ids = supervisor.spawn(role, count, "command");
    if (!ids) return failure(ids.reason());
    return {{"ok", true}, {"nodes", *ids}};
  }
  std::string node = string_field(request, "node");
  if (node.empty()) return failure(cmd + ": which node? add \"node\":\"peer-3\"");
  if (cmd == "rate") {
    auto message = rate_message(request);
    if (!message) return failure(message.reason());
    lab.control(node, *message);
    return {{"ok", true}};
  }
  Status done = cmd == "kill"    ? supervisor.kill(node, "command")
                : cmd == "leave" ? supervisor.leave(node, "command")
                                 : supervisor.restart(node, "command");
  if (!done) return failure(done.reason());
  return {{"ok", true}, {"node", node}};
}

Expected<nlohmann::json> rate_message(const nlohmann::json& request) {
  nlohmann::json message = {{"cmd", "rate"}};
  for (const char* key : {"up_kbps", "down_kbps", "latency_ms", "loss"}) {
    if (auto it = request.find(key); it != request.end()) message[key] = *it;
  }
  // Checked as the node will read it, so that what the launcher accepts every node takes.
  if (auto decoded = telemetry::decode_control(message.dump()); !decoded) return decoded.error();
  return message;
}

CommandServer::CommandServer(zmq::context_t& context, Reactor& reactor, LabHandle& lab)
    : socket_(context, zmq::socket_type::rep), lab_(lab) {
  socket_.set(zmq::sockopt::linger, 0);
  limit_inbound(socket_, static_cast<std::int64_t>(kMaxRequestBytes));
  socket_.bind("tcp://127.0.0.1:*");
  endpoint_ = socket_.get(zmq::sockopt::last_endpoint);
  reactor.add_socket(
      socket_, [this] { on_request(); }, SocketUse::callback_only);
}

void CommandServer::on_request() {
  zmq::message_t message;
  while (socket_.recv(message, zmq::recv_flags::dontwait)) {
    // A REP socket must answer each request exactly once; extra frames of a request are read and ignored.
    bool more = message.more();
    auto request = nlohmann::json::parse(message.to_string_view(), nullptr, /*allow_exceptions=*/false);
    while (more) {
      zmq::message_t extra;
      if (!socket_.recv(extra, zmq::recv_flags::none)) break;
      more = extra.more();
    }
    nlohmann::json reply =
        request.is_discarded() ? failure("the request is not JSON") : handle_command(request, lab_);
    std::string text = reply.dump();
    (void)socket_.send(zmq::buffer(text), zmq::send_flags::none);
  }
}

}  // namespace p2p::labs
