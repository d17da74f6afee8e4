// Telemetry publisher and subscriber sockets.
#include "common/host/publisher.h"

#include "common/telemetry/schema.h"

namespace p2p::telemetry {

Publisher::Publisher(zmq::context_t& context, const std::string& endpoint)
    : socket_(context, zmq::socket_type::xpub) {
  socket_.set(zmq::sockopt::sndhwm, 10000);
  socket_.set(zmq::sockopt::linger,
              500);  // let the last records (a final status, a leave) reach the launcher
  socket_.connect(endpoint);
}

bool Publisher::wait_until_subscribed(std::chrono::milliseconds limit) {
  zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
  if (zmq::poll(&item, 1, limit) <= 0) return false;
  zmq::message_t subscription;
  (void)socket_.recv(subscription, zmq::recv_flags::dontwait);
  return true;
}

void Publisher::publish(const nlohmann::json& record) {
  std::string text = record.dump();
  (void)socket_.send(zmq::buffer(text), zmq::send_flags::dontwait);
}

Subscriber::Subscriber(zmq::context_t& context, const std::string& endpoint)
    : socket_(context, zmq::socket_type::sub) {
  socket_.set(zmq::sockopt::rcvhwm, 100000);
  socket_.set(zmq::sockopt::subscribe, "");
  socket_.connect(endpoint);
}

std::optional<nlohmann::json> Subscriber::receive() {
  zmq::message_t message;
  while (socket_.recv(message, zmq::recv_flags::dontwait)) {
    auto record = nlohmann::json::parse(message.to_string_view(), nullptr, /*allow_exceptions=*/false);
    if (is_valid_record(record)) return record;
    ++rejected_;
  }
  return std::nullopt;
}

}  // namespace p2p::telemetry
