// The TCP transport: plain non-blocking sockets under two epoll sets.
#include "common/host/transport.h"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "common/host/tcp_socket.h"

namespace p2p {
namespace {

// Ready sockets served per wake-up, so a busy loop cannot starve timers.
constexpr int kReadBatch = 256;
// One read's bytes: a bulk transfer moves 256 KiB per system call.
constexpr std::size_t kReadChunk = 256 << 10;
constexpr int kListenBacklog = 4096;
// The listener's key in the read set; connection ids start at 1 (IdAllocator).
constexpr std::uint64_t kListenerKey = 0;
// How long the listener rests when the process is out of descriptors. It is level-triggered: watched
// meanwhile, it would wake the loop again at once for a connection that cannot be taken, and spin.
constexpr Duration kAcceptRest = std::chrono::milliseconds(100);

}  // namespace

void raise_fd_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

Transport::Transport(Reactor& reactor, LinkConfig link, Handlers handlers)
    : reactor_(reactor),
      read_buffer_(kReadChunk),
      handlers_(std::move(handlers)),
      up_(link.up_bps, link.latency, reactor.now()),
      down_(link.down_bps, link.latency, reactor.now()),
      loss_(link.loss) {
  read_source_ = reactor_.add_fd(reads_.fd(), [this] { on_readable(); });
  reactor_.add_fd(writes_.fd(), [this] { on_writable(); });
}

Transport::~Transport() {
  for (TimerId t : {up_timer_, down_timer_, rest_timer_}) reactor_.cancel(t);
  for (auto& [id, conn] : conns_) {
    reactor_.cancel(conn.linger_timer);
    tcp::close(conn.fd);
  }
  if (listener_ >= 0) tcp::close(listener_);
}

Expected<std::uint16_t> Transport::listen(const std::string& host, std::uint16_t port) {
  if (listener_ >= 0) return make_error("cannot listen on " + host + ": this transport listens already");
  auto fd = tcp::listen(host, port, kListenBacklog);
  if (!fd) return fd.error();
  listener_ = *fd;
  reads_.add(listener_, kListenerKey);
  return tcp::local_port(listener_);
}

ConnId Transport::connect(const Endpoint& remote) {
  ConnId id = ids_.next();
  auto framer = std::make_unique<FrameAssembler>(handlers_.make_framer(id, false));
  auto fd = tcp::connect(remote);
  if (!fd) {
    report_closed(id, "connect failed: " + fd.reason());
    return id;
  }
  TimerId timeout = reactor_.after(connect_timeout, [this, id] {
    Conn* c = find(id);
    if (c != nullptr && c->state == State::Connecting) {
      c->connect_timer = TimerId{};
      close(id, "connect failed: no answer in time (refused or unreachable)");
    }
  });
  conns_.emplace(id, Conn{.id = id,
                          .fd = *fd,
                          .state = State::Connecting,
                          .remote = remote,
                          .frames = std::move(framer),
                          .connect_timer = timeout});
  writes_.add(*fd, id.value);
  return id;
}

Transport::Conn* Transport::find(ConnId conn) {
  auto it = conns_.find(conn);
  return it == conns_.end() ? nullptr : &it->second;
}

void Transport::on_readable() {
  std::array<epoll_event, kReadBatch> events;
  for (const epoll_event& event : reads_.ready(events)) {
    if (event.data.u64 == kListenerKey) {
      accept_waiting();
      continue;
    }
    ConnId id{event.data.u64};
    Conn* conn = find(id);
    if (conn == nullptr) continue;
    tcp::Io io = tcp::read(conn->fd, read_buffer_.data(), read_buffer_.size());
    bool ended = io.result == tcp::Io::Result::Closed || io.result == tcp::Io::Result::Failed;
    if (conn->state != State::Open) {
      // The core has closed it and its last bytes are leaving: what arrives now is read only so that the
      // socket closes with a FIN (unread bytes would make it a reset).
      if (ended) reads_.remove(conn->fd);
    } else if (io.result == tcp::Io::Result::Moved) {
      on_bytes(id, ByteView(read_buffer_.data(), io.bytes));
      // A core that answered and closed (an HTTP tracker) hangs up right behind its answer, before the
      // next connection's read, as opentracker does. Left to the end of the batch, the client would often
      // read the answer and close first, and the side that closes last pays for the teardown: about 5 us
      // of kernel time per connection in bench-bittorrent b.
      if (Conn* still = find(id); still != nullptr && still->state == State::Closing) forget_if_flushed(id);
    } else if (ended) {
      on_peer_closed(*conn);
    }
    if (reading_paused_) return;
  }
}

void Transport::accept_waiting() {
  for (int i = 0; i < kReadBatch; ++i) {
    auto accepted = tcp::accept(listener_);
    if (!accepted) {
      rest_listener();
      return;
    }
    if (!accepted->has_value()) return;
    auto [fd, remote] = std::move(**accepted);
    ConnId id = ids_.next();
    conns_.emplace(id, Conn{.id = id,
                            .fd = fd,
                            .state = State::Open,
                            .remote = remote,
                            .frames = std::make_unique<FrameAssembler>(handlers_.make_framer(id, true))});
    reads_.add(fd, id.value);
    handlers_.on_open(id, true, remote);
  }
}

// Out of descriptors (a flood of connections, or a low ulimit): the waiting connections stay in the
// kernel's backlog, and the listener is watched again once connections that close have given some back.
void Transport::rest_listener() {
  ++accept_rests_;
  reads_.remove(listener_);
  rest_timer_ = reactor_.after(kAcceptRest, [this] {
    rest_timer_ = TimerId{};
    reads_.add(listener_, kListenerKey);
  });
}

void Transport::on_writable() {
  std::array<epoll_event, kReadBatch> events;
  for (const epoll_event& event : writes_.ready(events)) {
    Conn* conn = find(ConnId{event.data.u64});
    if (conn == nullptr) continue;
    if (conn->state == State::Connecting) {
      on_connected(*conn);
    } else if (flush_blocked(*conn)) {
      writes_.remove(conn->fd);
    }
  }
  finish_flushed_closes();
}

void Transport::on_connected(Conn& conn) {
  if (int error = tcp::pending_error(conn.fd); error != 0) {
    close(conn.id, error == ECONNREFUSED ? "connect failed: connection refused"
                                         : std::string("connect failed: ") + std::strerror(error));
    return;
  }
  writes_.remove(conn.fd);
  reactor_.cancel(conn.connect_timer);
  conn.state = State::Open;
  reads_.add(conn.fd, conn.id.value);
  handlers_.on_open(conn.id, false, conn.remote);
}

// The peer closed its side (or reset the connection). Its last bytes may still be crossing our download
// link: close behind them. What the core queued for it still leaves (a half-closed HTTP client waits for
// its answer); a peer that is gone altogether makes those writes fail, which drops them.
void Transport::on_peer_closed(Conn& conn) {
  reads_.remove(conn.fd);
  conn.state = State::PeerClosed;
  if (down_.passthrough() && down_.empty()) {
    end_connection(conn.id, "closed by peer");
  } else {
    down_.push_end_of_stream(conn.id, reactor_.now());
    schedule(down_, down_timer_, &Transport::pump_down);
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
    reactor_.pause(read_source_);
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
    reactor_.resume(read_source_);
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
  std::size_t sent = 0;
  if (conn.blocked.empty()) {
    tcp::Io io = tcp::write(conn.fd, bytes);
    if (io.result == tcp::Io::Result::Failed) return;  // the peer is gone; its read side reports the close
    sent = io.bytes;
    bytes_sent_ += sent;
    if (sent == bytes.size()) return;
    writes_.add(conn.fd, conn.id.value);
    conn.blocked_sent = sent;
    conn.stalled_since = reactor_.now();
  }
  conn.blocked_bytes += bytes.size() - sent;
  conn.blocked.push_back(std::move(bytes));
}

bool Transport::flush_blocked(Conn& conn) {
  while (!conn.blocked.empty()) {
    const Bytes& front = conn.blocked.front();
    tcp::Io io = tcp::write(conn.fd, ByteView(front).subspan(conn.blocked_sent));
    if (io.result == tcp::Io::Result::Failed) {
      conn.blocked.clear();
      conn.blocked_sent = conn.blocked_bytes = 0;
      return true;
    }
    bytes_sent_ += io.bytes;
    conn.blocked_bytes -= io.bytes;
    conn.blocked_sent += io.bytes;
    if (io.bytes > 0) conn.stalled_since = reactor_.now();
    if (conn.blocked_sent < front.size()) return false;  // the send buffer is full
    conn.blocked.pop_front();
    conn.blocked_sent = 0;
  }
  return true;
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
  reactor_.cancel(conn->connect_timer);
  bool was_connecting = conn->state == State::Connecting;
  conn->state = State::Closing;
  down_.drop(id);
  report_closed(id, std::move(reason));
  // Hang up from the loop, never from here: the core may be closing from inside on_frame(), while this
  // connection's frame buffer is still being read.
  if (was_connecting) {
    reactor_.post([this, id] { forget(id); });
  } else {
    closing_.push_back(id);
    reactor_.post([this] { finish_flushed_closes(); });
  }
}

void Transport::finish_flushed_closes() {
  std::erase_if(closing_, [this](ConnId id) { return forget_if_flushed(id); });
}

bool Transport::forget_if_flushed(ConnId id) {
  Conn* conn = find(id);
  if (conn == nullptr) return true;
  if (up_.queued_bytes(id) > 0 || !conn->blocked.empty()) {
    // Bytes that wait in the shaped uplink leave at the link's rate, however slow; bytes the kernel refuses
    // leave only if the peer reads, and one that never does would hold the connection for ever.
    if (!conn->blocked.empty() && conn->linger_timer == TimerId{}) watch_stall(*conn, close_linger);
    return false;
  }
  forget(id);
  return true;
}

// A closing connection whose peer has taken none of its bytes for close_linger is closed without them (as
// SO_LINGER bounds a blocking close); one that still takes some, however slowly, is given more time.
void Transport::watch_stall(Conn& conn, Duration delay) {
  conn.linger_timer = reactor_.after(delay, [this, id = conn.id] {
    Conn* stalled = find(id);
    if (stalled == nullptr) return;
    stalled->linger_timer = TimerId{};
    if (stalled->blocked.empty()) return;  // moving again; forget_if_flushed watches it if it stalls
    Duration since = reactor_.now() - stalled->stalled_since;
    if (since >= close_linger) {
      forget(id);
    } else {
      watch_stall(*stalled, close_linger - since);
    }
  });
}

// The peer closed and its last bytes have reached the core: tell the core, then close once what it queued
// has left.
void Transport::end_connection(ConnId id, std::string reason) {
  Conn* conn = find(id);
  if (conn == nullptr || conn->state == State::Closing) return;
  conn->state = State::Closing;
  report_closed(id, std::move(reason));
  closing_.push_back(id);
  finish_flushed_closes();
}

void Transport::forget(ConnId id) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  up_.drop(id);
  reactor_.cancel(it->second.linger_timer);
  tcp::close(it->second.fd);  // which also takes it out of both epoll sets
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
