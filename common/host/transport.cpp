// The ZMQ_STREAM transport.
#include "common/host/transport.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <optional>

namespace p2p {
namespace {

// Messages read per wake-up, so a busy socket cannot starve timers.
constexpr int kReadBatch = 256;
// How often data that ZeroMQ refused (its pipe was full) is offered again.
constexpr Duration kRetryInterval = std::chrono::milliseconds(1);
// About 11.6 days: "never" for a lab, yet well clear of the int overflow in libzmq's reconnect jitter.
constexpr int kReconnectNeverMs = 1'000'000'000;
constexpr int kListenBacklog = 4096;

// "tcp://127.0.0.1:6699": an endpoint as ZeroMQ dials it, and as its socket monitor names it.
std::string zmq_address(const Endpoint& endpoint) {
  return "tcp://" + endpoint.str();
}

// Who dialled in. ZeroMQ's "Peer-Address" property holds the address only; the port comes from the TCP
// socket that carried the connect notice (ZMQ_SRCFD), read with getpeername. That socket belongs to
// ZeroMQ's I/O thread and may already be closed and its number reused, so the port is kept only when the
// address agrees; otherwise it stays 0 (unknown).
Endpoint inbound_peer(zmq::message_t& notice) {
  Endpoint remote{"0.0.0.0", 0};
  const char* address = nullptr;
  try {
    address = notice.gets("Peer-Address");
  } catch (const zmq::error_t&) {
  }
  if (address == nullptr) return remote;
  remote.host = address;
  int fd = zmq_msg_get(notice.handle(), ZMQ_SRCFD);
  sockaddr_in peer{};
  socklen_t length = sizeof peer;
  char host[INET_ADDRSTRLEN] = {};
  if (fd >= 0 && ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) == 0 &&
      peer.sin_family == AF_INET && ::inet_ntop(AF_INET, &peer.sin_addr, host, sizeof host) != nullptr &&
      remote.host == host) {
    remote.port = ntohs(peer.sin_port);
  }
  return remote;
}

}  // namespace

void raise_fd_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

Transport::Transport(zmq::context_t& context, Reactor& reactor, LinkConfig link, Handlers handlers)
    : reactor_(reactor),
      socket_(context, zmq::socket_type::stream),
      monitor_(context, zmq::socket_type::pair),
      handlers_(std::move(handlers)),
      up_(link.up_bps, link.latency, reactor.now()),
      down_(link.down_bps, link.latency, reactor.now()),
      loss_(link.loss) {
  socket_.set(zmq::sockopt::reconnect_ivl, kReconnectNeverMs);
  socket_.set(zmq::sockopt::backlog, kListenBacklog);
  socket_.set(zmq::sockopt::linger, 1000);
  socket_.set(zmq::sockopt::stream_notify, 1);
  source_ = reactor_.add_socket(socket_, [this] { on_readable(); });
  std::string monitor_address =
      "inproc://p2p-transport-monitor-" + std::to_string(reinterpret_cast<std::uintptr_t>(this));
  zmq_socket_monitor(socket_.handle(), monitor_address.c_str(), ZMQ_EVENT_CLOSED | ZMQ_EVENT_CONNECT_RETRIED);
  monitor_.connect(monitor_address);
  reactor_.add_socket(
      monitor_, [this] { on_monitor_event(); }, SocketUse::callback_only);
}

void Transport::on_monitor_event() {
  zmq::message_t event, address;
  while (monitor_.recv(event, zmq::recv_flags::dontwait)) {
    if (!monitor_.recv(address, zmq::recv_flags::none) || event.size() < 2) continue;
    // A dial to this endpoint failed. Fail the oldest connection still dialling it (ids grow with time).
    std::string endpoint = address.to_string();
    std::optional<ConnId> oldest;
    for (const auto& [id, conn] : conns_) {
      if (conn.state == State::Connecting && zmq_address(conn.remote) == endpoint &&
          (!oldest || id < *oldest))
        oldest = id;
    }
    if (oldest) close(*oldest, "connect failed: connection refused");
  }
}

Transport::~Transport() {
  for (TimerId t : {up_timer_, down_timer_, retry_timer_}) reactor_.cancel(t);
}

Expected<std::uint16_t> Transport::listen(const std::string& host, std::uint16_t port) {
  std::string address = "tcp://" + host + ":" + (port == 0 ? std::string("*") : std::to_string(port));
  try {
    socket_.bind(address);
  } catch (const zmq::error_t& e) {
    return make_error("cannot listen on " + host + ":" + std::to_string(port) + ": " + e.what());
  }
  auto bound = Endpoint::parse(socket_.get(zmq::sockopt::last_endpoint));
  if (!bound) return bound.error();
  return bound->port;
}

ConnId Transport::connect(const Endpoint& remote) {
  ConnId id = ids_.next();
  // Our own routing ids start with 'o'; ZeroMQ's ids for inbound connections start with a zero byte.
  std::string routing_id = "o" + std::to_string(id.value);
  Conn conn{routing_id,
            State::Connecting,
            false,
            remote,
            std::make_unique<FrameAssembler>(handlers_.make_framer(id, false)),
            TimerId{},
            {},
            0};
  try {
    socket_.set(zmq::sockopt::connect_routing_id, routing_id);
    socket_.connect(zmq_address(remote));
  } catch (const zmq::error_t& e) {
    report_closed(id, std::string("connect failed: ") + e.what());
    return id;
  }
  conn.connect_timer = reactor_.after(connect_timeout, [this, id] {
    Conn* c = find(id);
    if (c != nullptr && c->state == State::Connecting) {
      c->connect_timer = TimerId{};
      close(id, "connect failed: no answer in time (refused or unreachable)");
    }
  });
  by_routing_id_[routing_id] = id;
  conns_.emplace(id, std::move(conn));
  return id;
}

Transport::Conn* Transport::find(ConnId conn) {
  auto it = conns_.find(conn);
  return it == conns_.end() ? nullptr : &it->second;
}

void Transport::on_readable() {
  for (int i = 0; i < kReadBatch; ++i) {
    zmq::message_t id, data;
    if (!socket_.recv(id, zmq::recv_flags::dontwait)) return;
    if (!socket_.recv(data, zmq::recv_flags::none)) return;
    std::string routing_id = id.to_string();
    if (data.size() == 0) {
      on_notice(routing_id, data);
    } else if (auto it = by_routing_id_.find(routing_id); it != by_routing_id_.end()) {
      on_bytes(it->second, ByteView(static_cast<const std::uint8_t*>(data.data()), data.size()));
    }
  }
}

void Transport::on_notice(const std::string& routing_id, zmq::message_t& notice) {
  auto it = by_routing_id_.find(routing_id);
  if (it == by_routing_id_.end()) {
    // A new inbound connection.
    ConnId id = ids_.next();
    Endpoint remote = inbound_peer(notice);
    by_routing_id_[routing_id] = id;
    conns_.emplace(id, Conn{routing_id,
                            State::Open,
                            true,
                            remote,
                            std::make_unique<FrameAssembler>(handlers_.make_framer(id, true)),
                            TimerId{},
                            {},
                            0});
    handlers_.on_open(id, true, remote);
    return;
  }
  ConnId id = it->second;
  Conn& conn = conns_.at(id);
  switch (conn.state) {
    case State::Connecting:
      reactor_.cancel(conn.connect_timer);
      conn.state = State::Open;
      handlers_.on_open(id, false, conn.remote);
      break;
    case State::Open:
      // The peer closed. End libzmq's session too (it would redial in days), and close behind the bytes the
      // peer sent before closing that may still be crossing our download link.
      conn.state = State::PeerClosed;
      up_.drop(id);
      if (!conn.inbound) send_close_frame(conn.routing_id);
      if (down_.passthrough() && down_.empty()) {
        end_connection(id, "closed by peer");
      } else {
        down_.push_end_of_stream(id, reactor_.now());
        schedule(down_, down_timer_, &Transport::pump_down);
      }
      break;
    case State::Closing:
    case State::PeerClosed:
      break;
  }
}

void Transport::on_bytes(ConnId id, ByteView bytes) {
  Conn* conn = find(id);
  if (conn == nullptr || conn->state != State::Open) return;
  if (down_.passthrough() && down_.empty()) {
    deliver(id, bytes);
    return;
  }
  down_.push(id, Bytes(bytes.begin(), bytes.end()), reactor_.now());
  schedule(down_, down_timer_, &Transport::pump_down);
  if (!reading_paused_ && down_.queued_bytes() > max_download_backlog) {
    reading_paused_ = true;
    reactor_.pause(source_);
  }
}

void Transport::deliver(ConnId id, ByteView bytes) {
  Conn* conn = find(id);
  // A connection its peer has closed still gets the bytes that were crossing the download link before the
  // close: the peer sent them first.
  auto reading = [](const Conn& c) { return c.state == State::Open || c.state == State::PeerClosed; };
  if (conn == nullptr || !reading(*conn)) return;
  bytes_received_ += bytes.size();
  Status status = conn->frames->feed(bytes, [&](ByteView frame) {
    handlers_.on_frame(id, frame);
    return reading(*conn);  // the core may have closed it
  });
  if (!status.ok()) close(id, "framing error: " + status.reason());
}

void Transport::pump_down() {
  down_timer_ = TimerId{};
  down_.release(reactor_.now(), [this](ShapedQueue::Segment&& segment) {
    if (segment.conn == kDatagramConn) {
      deliver_datagram(segment.peer, segment.bytes);
    } else if (segment.end_of_stream) {
      end_connection(segment.conn, "closed by peer");
    } else {
      deliver(segment.conn, segment.bytes);
    }
  });
  schedule(down_, down_timer_, &Transport::pump_down);
  if (reading_paused_ && down_.queued_bytes() < max_download_backlog / 4) {
    reading_paused_ = false;
    reactor_.resume(source_);
  }
}

void Transport::send(ConnId id, Bytes bytes) {
  Conn* conn = find(id);
  if (conn == nullptr || conn->state != State::Open || bytes.empty()) return;
  if (up_.passthrough() && up_.empty()) {
    write(*conn, std::move(bytes));
    return;
  }
  up_.push(id, std::move(bytes), reactor_.now());
  schedule(up_, up_timer_, &Transport::pump_up);
}

void Transport::pump_up() {
  up_timer_ = TimerId{};
  up_.release(reactor_.now(), [this](ShapedQueue::Segment&& segment) {
    if (segment.conn == kDatagramConn) {
      transmit_datagram(segment.peer, segment.bytes);
    } else if (Conn* conn = find(segment.conn)) {
      write(*conn, std::move(segment.bytes));
    }
  });
  schedule(up_, up_timer_, &Transport::pump_up);
  finish_flushed_closes();
}

void Transport::write(Conn& conn, Bytes bytes) {
  if (conn.blocked.empty() && write_now(conn, bytes)) return;  // write_now() took the bytes
  conn.blocked_bytes += bytes.size();
  conn.blocked.push_back(std::move(bytes));
  if (retry_timer_ == TimerId{}) retry_timer_ = reactor_.after(kRetryInterval, [this] { retry_blocked(); });
}

bool Transport::write_now(Conn& conn, Bytes& bytes) {
  try {
    if (!socket_.send(zmq::buffer(conn.routing_id), zmq::send_flags::sndmore | zmq::send_flags::dontwait)) {
      return false;  // ZeroMQ's pipe to this peer is full
    }
    // Hand the buffer itself to ZeroMQ instead of copying it; ZeroMQ frees it once TCP has it.
    std::size_t size = bytes.size();
    auto* owned = new Bytes(std::move(bytes));
    zmq::message_t message(
        owned->data(), size, [](void*, void* hint) { delete static_cast<Bytes*>(hint); }, owned);
    socket_.send(message, zmq::send_flags::dontwait);
    bytes_sent_ += size;
  } catch (const zmq::error_t&) {
    // The peer is gone (EHOSTUNREACH); its close notice is on its way, so drop the bytes.
  }
  return true;
}

void Transport::retry_blocked() {
  retry_timer_ = TimerId{};
  bool still_blocked = false;
  for (auto& [id, conn] : conns_) {
    while (!conn.blocked.empty()) {
      std::size_t size = conn.blocked.front().size();
      if (!write_now(conn, conn.blocked.front())) break;
      conn.blocked_bytes -= size;
      conn.blocked.pop_front();
    }
    still_blocked = still_blocked || !conn.blocked.empty();
  }
  if (still_blocked) retry_timer_ = reactor_.after(kRetryInterval, [this] { retry_blocked(); });
  finish_flushed_closes();
}

void Transport::schedule(ShapedQueue& queue, TimerId& timer, void (Transport::*pump)()) {
  reactor_.cancel(timer);
  timer = TimerId{};
  if (auto next = queue.next_event()) {
    timer = reactor_.after(std::max(Duration{0}, *next - reactor_.now()), [this, pump] { (this->*pump)(); });
  }
}

void Transport::close(ConnId id, std::string reason) {
  Conn* conn = find(id);
  if (conn == nullptr || conn->state == State::Closing) return;
  if (conn->state == State::PeerClosed) {
    // Forgotten from the loop, not here: the core may be closing from inside on_frame(), while this
    // connection's frame buffer is still being read.
    down_.drop(id);
    conn->state = State::Closing;
    report_closed(id, std::move(reason));
    reactor_.post([this, id] { forget(id); });
    return;
  }
  reactor_.cancel(conn->connect_timer);
  bool was_connecting = conn->state == State::Connecting;
  conn->state = State::Closing;
  down_.drop(id);
  report_closed(id, std::move(reason));
  // Hang up from the loop, never from here: the core may be closing from inside on_frame(), while this
  // connection's frame buffer is still being read.
  if (was_connecting) {
    reactor_.post([this, id] {
      if (find(id) != nullptr) hang_up(id);
    });
  } else {
    closing_.push_back(id);
    reactor_.post([this] { finish_flushed_closes(); });
  }
}

void Transport::finish_flushed_closes() {
  std::erase_if(closing_, [this](ConnId id) {
    Conn* conn = find(id);
    if (conn == nullptr) return true;
    if (up_.queued_bytes(id) > 0 || !conn->blocked.empty()) return false;
    hang_up(id);
    return true;
  });
}

void Transport::hang_up(ConnId id) {
  Conn& conn = conns_.at(id);
  send_close_frame(conn.routing_id);
  forget(id);
}

void Transport::send_close_frame(const std::string& routing_id) {
  try {
    if (socket_.send(zmq::buffer(routing_id), zmq::send_flags::sndmore | zmq::send_flags::dontwait)) {
      socket_.send(zmq::const_buffer(nullptr, 0), zmq::send_flags::dontwait);
    }
  } catch (const zmq::error_t&) {
    // Already gone on libzmq's side.
  }
}

void Transport::end_connection(ConnId id, std::string reason) {
  forget(id);
  report_closed(id, std::move(reason));
}

void Transport::forget(ConnId id) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  up_.drop(id);
  by_routing_id_.erase(it->second.routing_id);
  conns_.erase(it);
}

void Transport::report_closed(ConnId id, std::string reason) {
  reactor_.post([this, id, reason = std::move(reason)] { handlers_.on_closed(id, reason); });
}

void Transport::set_framer(ConnId id, std::unique_ptr<Framer> framer) {
  if (Conn* conn = find(id)) conn->frames->set_framer(std::move(framer));
}

void Transport::set_link(LinkConfig link) {
  up_.reconfigure(link.up_bps, link.latency, reactor_.now());
  down_.reconfigure(link.down_bps, link.latency, reactor_.now());
  loss_ = link.loss;
}

std::size_t Transport::queued_bytes() const {
  std::size_t total = up_.queued_bytes();
  for (const auto& [id, conn] : conns_) total += conn.blocked_bytes;
  return total;
}

std::size_t Transport::queued_bytes(ConnId id) const {
  auto it = conns_.find(id);
  return up_.queued_bytes(id) + (it == conns_.end() ? 0 : it->second.blocked_bytes);
}

}  // namespace p2p
