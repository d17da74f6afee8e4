#include "labs/launcher/endpoint_monitor.h"

#include <cstring>

namespace p2p::labs {

namespace {

constexpr int kEvents = ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_HANDSHAKE_SUCCEEDED |
                        ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
                        ZMQ_EVENT_DISCONNECTED;

const char* reason_of(std::uint16_t event) {
  switch (event) {
    case ZMQ_EVENT_ACCEPTED:
      return "accepted";
    case ZMQ_EVENT_HANDSHAKE_SUCCEEDED:
      return "handshake succeeded";
    case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL:
      return "handshake failed";
    case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL:
      return "protocol error";
    case ZMQ_EVENT_DISCONNECTED:
      return "disconnected";
    default:
      return nullptr;
  }
}

}  // namespace

void EndpointMonitor::watch(zmq::socket_ref socket, const std::string& endpoint) {
  std::string address = "inproc://p2plab-monitor-" + std::to_string(watched_.size());
  if (zmq_socket_monitor(socket.handle(), address.c_str(), kEvents) != 0) throw zmq::error_t();
  auto watched =
      std::make_unique<Watched>(Watched{endpoint, zmq::socket_t(context_, zmq::socket_type::pair), {}});
  watched->events.set(zmq::sockopt::linger, 0);
  watched->events.connect(address);
  Watched& w = *watched;
  reactor_.add_socket(
      w.events, [this, &w] { on_events(w); }, SocketUse::callback_only);
  watched_.push_back(std::move(watched));
}

// Each event is two frames (zmq_socket_monitor(3)): 2 bytes of event id and 4 of value in host order, then
// the endpoint's address.
void EndpointMonitor::on_events(Watched& watched) {
  zmq::message_t head, address;
  while (watched.events.recv(head, zmq::recv_flags::dontwait)) {
    if (head.more()) (void)watched.events.recv(address, zmq::recv_flags::dontwait);
    if (head.size() < sizeof(std::uint16_t)) continue;
    std::uint16_t event = 0;
    std::memcpy(&event, head.data(), sizeof event);
    if (const char* reason = reason_of(event)) ++watched.reasons[reason];
  }
}

nlohmann::json EndpointMonitor::counts() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& watched : watched_) {
    nlohmann::json& counts = out[watched->endpoint] = watched->reasons;
    std::uint64_t accepted = counts.value("accepted", std::uint64_t{0});
    std::uint64_t succeeded = counts.value("handshake succeeded", std::uint64_t{0});
    counts["never completed the handshake"] = accepted > succeeded ? accepted - succeeded : 0;
  }
  return out;
}

}  // namespace p2p::labs
