// The telemetry proxy and recorder.
#include "labs/launcher/recorder.h"

#include "common/telemetry/schema.h"
#include "labs/launcher/inbound_limits.h"

namespace p2p::labs {
namespace {

// Larger records are not telemetry; they are dropped rather than written (a node's status is a few KiB).
constexpr std::size_t kMaxRecordBytes = 1 << 20;
// At most this many records per wake-up, so a flood of telemetry cannot starve commands and timers.
constexpr int kBatch = 2000;

std::string bind_on(zmq::socket_t& socket, const std::string& address) {
  socket.bind("tcp://" + address + ":*");
  return socket.get(zmq::sockopt::last_endpoint);
}

}  // namespace

Recorder::Recorder(zmq::context_t& context, Reactor& reactor, const std::string& jsonl_path,
                   const std::string& node_address)
    : xsub_(context, zmq::socket_type::xsub), xpub_(context, zmq::socket_type::xpub), file_(jsonl_path) {
  xsub_.set(zmq::sockopt::rcvhwm, 100000);
  xpub_.set(zmq::sockopt::sndhwm, 100000);
  xpub_.set(zmq::sockopt::linger, 0);
  xsub_.set(zmq::sockopt::linger, 0);
  limit_inbound(xsub_, static_cast<std::int64_t>(kMaxRecordBytes));
  limit_inbound(xpub_, kMaxSubscriptionBytes);
  xsub_endpoint_ = bind_on(xsub_, node_address);
  xpub_endpoint_ = bind_on(xpub_, "127.0.0.1");
  // The recorder wants every record, whatever the watchers subscribe to: one subscription to everything.
  const char subscribe_all = 1;
  xsub_.send(zmq::buffer(&subscribe_all, 1));
  reactor.add_socket(xsub_, [this] { on_node_records(); });
  reactor.add_socket(xpub_, [this] { on_subscriptions(); });
}

void Recorder::take(const nlohmann::json& record, std::string_view text) {
  ++records_;
  if (file_.is_open()) file_ << text << '\n';
  (void)xpub_.send(zmq::buffer(text), zmq::send_flags::dontwait);
  for (const Observer& observer : observers_) observer(record);
}

void Recorder::record(const nlohmann::json& record) {
  take(record, record.dump());
}

void Recorder::on_node_records() {
  zmq::message_t message;
  for (int i = 0; i < kBatch && xsub_.recv(message, zmq::recv_flags::dontwait); ++i) {
    if (message.more() || message.size() > kMaxRecordBytes) {
      ++rejected_;
      continue;
    }
    auto record = nlohmann::json::parse(message.to_string_view(), nullptr, /*allow_exceptions=*/false);
    if (!telemetry::is_valid_record(record)) {
      ++rejected_;
      continue;
    }
    take(record, message.to_string_view());
  }
}

void Recorder::on_subscriptions() {
  // Watchers' (un)subscriptions: the XSUB side already takes everything, so they are read and dropped.
  zmq::message_t message;
  while (xpub_.recv(message, zmq::recv_flags::dontwait)) {
  }
}

void Recorder::close() {
  if (file_.is_open()) file_.close();
}

}  // namespace p2p::labs
