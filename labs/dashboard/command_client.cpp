// The dashboard's non-blocking REQ client for launcher commands.
#include "labs/dashboard/command_client.h"

namespace p2p::dashboard {
namespace {

constexpr std::size_t kMaxQueued = 32;           // a key held down must not queue minutes of commands
constexpr std::size_t kMaxReplyBytes = 1 << 20;  // a {"cmd":"nodes"} reply for thousands of nodes fits

}  // namespace

CommandClient::CommandClient(zmq::context_t& context, std::string endpoint, std::chrono::milliseconds timeout)
    : context_(context), endpoint_(std::move(endpoint)), timeout_(timeout) {
  if (!endpoint_.empty()) open();
}

void CommandClient::open() {
  socket_.emplace(context_, zmq::socket_type::req);
  socket_->set(zmq::sockopt::linger, 0);  // a request to a gone launcher must not hold up exit
  socket_->set(zmq::sockopt::maxmsgsize, static_cast<int64_t>(kMaxReplyBytes));
  socket_->connect(endpoint_);
}

void CommandClient::request(nlohmann::json request) {
  queue_.push_back(std::move(request));
}

std::vector<Exchange> CommandClient::poll(Clock::time_point now) {
  std::vector<Exchange> done;
  if (!socket_) {
    for (auto& request : queue_)
      done.push_back({std::move(request), make_error("no launcher command endpoint")});
    queue_.clear();
    return done;
  }
  while (queue_.size() > kMaxQueued) {
    done.push_back({std::move(queue_.front()), make_error("dropped: too many commands waiting")});
    queue_.pop_front();
  }
  if (in_flight_) {
    zmq::message_t message;
    if (socket_->recv(message, zmq::recv_flags::dontwait)) {
      auto reply = nlohmann::json::parse(message.to_string_view(), nullptr, /*allow_exceptions=*/false);
      Expected<nlohmann::json> result = reply.is_object()
                                            ? Expected<nlohmann::json>(std::move(reply))
                                            : Expected<nlohmann::json>(make_error("unreadable reply"));
      done.push_back({std::move(*in_flight_), std::move(result)});
      in_flight_.reset();
    } else if (now - sent_at_ > timeout_) {
      done.push_back({std::move(*in_flight_), make_error("the launcher did not answer")});
      in_flight_.reset();
      open();
    }
  }
  if (!in_flight_ && !queue_.empty()) {
    std::string text = queue_.front().dump();
    // With the pipe created at connect time, a REQ send queues even before the launcher accepts the
    // connection.
    if (socket_->send(zmq::buffer(text), zmq::send_flags::dontwait)) {
      in_flight_ = std::move(queue_.front());
      sent_at_ = now;
    } else {
      done.push_back({std::move(queue_.front()), make_error("the launcher cannot be reached")});
      open();
    }
    queue_.pop_front();
  }
  return done;
}

std::optional<zmq::socket_ref> CommandClient::waiting_socket() {
  if (!in_flight_ || !socket_) return std::nullopt;
  return zmq::socket_ref(*socket_);
}

}  // namespace p2p::dashboard
