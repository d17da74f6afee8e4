// Transport: real TCP connections on plain sockets, with framing and link shaping.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/host/datagram_port.h"
#include "common/host/epoll_set.h"
#include "common/host/reactor.h"
#include "common/net/datagram.h"
#include "common/net/endpoint.h"
#include "common/net/framer.h"
#include "common/net/link_shaper.h"
#include "common/util/expected.h"
#include "common/util/ids.h"
#include "common/util/random.h"

namespace p2p {

// Carries a protocol's own bytes on plain TCP sockets, non-blocking, on the process's one Reactor thread:
// connections with ids, open/frame/close callbacks and per-node link shaping.
//  - Readiness comes from two epoll sets, each one descriptor for the Reactor: one for reading (the
//    listener and every open connection; paused as a whole when the download queue is full, so TCP pushes
//    back on fast senders) and one for writing (connects in progress, and connections whose bytes the
//    kernel's send buffer refused).
//  - A peer that shuts down its sending side (as `nc -N` and some HTTP clients do after a request) has its
//    last bytes delivered and is reported closed, but what the core queued for it before then is still sent:
//    the connection is closed once that has left.
//  - A refused connect is reported by the socket itself (SO_ERROR), a silent one by a connect timeout.
//  - Nothing a peer does keeps a wait open for ever: a closed connection whose peer takes none of its bytes
//    for close_linger is dropped, and a listener that cannot accept for want of descriptors rests instead
//    of waking the loop.
// The foundation carried these bytes on a ZeroMQ ZMQ_STREAM socket. Every new connection then crossed
// libzmq's I/O thread and its pipes (about 31 system calls over two threads, against the 5 of accept4,
// epoll_ctl, recv, send and close here), ZMQ_STREAM could not half-close, and an inbound peer's port had to
// be fished from the descriptor ZeroMQ used. ZeroMQ still carries the telemetry and the launcher's control
// messages. Datagrams, once open_datagrams() has bound a UDP socket, cross the same ShapedQueues as the
// stream bytes (kDatagramConn), so both share the node's caps; a lossy link (LinkConfig::loss) drops a
// fraction as they leave the uplink.
class Transport {
 public:
  struct Handlers {
    std::function<std::unique_ptr<Framer>(ConnId, bool inbound)> make_framer;
    std::function<void(ConnId, bool inbound, const Endpoint&)> on_open;
    std::function<void(ConnId, ByteView frame)> on_frame;
    std::function<void(ConnId, const std::string& reason)> on_closed;
  };

  Transport(Reactor& reactor, LinkConfig link, Handlers handlers);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Listens on host:port (port 0 picks a free one) and returns the bound port.
  Expected<std::uint16_t> listen(const std::string& host, std::uint16_t port);
  ConnId connect(const Endpoint& remote);
  void send(ConnId conn, Bytes bytes);
  // Flushes what the connection has queued, then closes it. on_closed(conn, reason) follows from the loop.
  void close(ConnId conn, std::string reason);
  void set_framer(ConnId conn, std::unique_ptr<Framer> framer);
  void set_link(LinkConfig link);

  // Binds the datagram port at `at` (the listening address and port); `loss_draws` decides which outgoing
  // datagrams a lossy link loses.
  Status open_datagrams(const Endpoint& at, Rng loss_draws, DatagramPort::OnDatagram on_datagram);
  // Queues one datagram on the uplink. Without a datagram port it goes nowhere, uncounted (as in SimNet);
  // one larger than kMaxDatagramBytes, one the link loses and one a full socket buffer refuses count as
  // dropped.
  void send_datagram(const Endpoint& remote, Bytes bytes);
  const DatagramCounters& datagrams() const { return datagrams_; }

  std::size_t queued_bytes(ConnId conn) const;
  // Everything not yet handed to TCP, over all connections.
  std::size_t queued_bytes() const;
  std::size_t connection_count() const { return conns_.size(); }
  std::uint64_t bytes_sent() const { return bytes_sent_; }
  std::uint64_t bytes_received() const { return bytes_received_; }
  // How often the listener rested because the process was out of descriptors.
  std::uint64_t accept_rests() const { return accept_rests_; }

  Duration connect_timeout = std::chrono::seconds(5);
  // How long a closed connection may wait on a peer that takes none of its queued bytes before it is closed
  // without them.
  Duration close_linger = std::chrono::seconds(30);
  // The download queue's size at which we stop reading the socket, so TCP pushes back on fast senders.
  std::size_t max_download_backlog = 8 << 20;

 private:
  // Connecting: dialled, waiting for the socket to turn writable. Open: both ways. Closing: the core was
  // told it is closed and its queued bytes are still leaving. PeerClosed: the peer closed its side and its
  // last bytes are still crossing the download link.
  enum class State { Connecting, Open, Closing, PeerClosed };
  struct Conn {
    ConnId id;
    int fd;
    State state;
    Endpoint remote;
    std::unique_ptr<FrameAssembler> frames;
    TimerId connect_timer{};
    TimePoint stalled_since{};     // when the kernel last took its blocked bytes, or first refused them
    TimerId linger_timer{};        // while it is closing with bytes the kernel refuses
    std::deque<Bytes> blocked{};   // left the shaper but the kernel's send buffer was full
    std::size_t blocked_sent = 0;  // of blocked.front()
    std::size_t blocked_bytes = 0;
  };

  void on_readable();
  void on_writable();
  void accept_waiting();
  void rest_listener();
  void on_connected(Conn& conn);
  void on_peer_closed(Conn& conn);
  void on_bytes(ConnId conn, ByteView bytes);
  void deliver(ConnId conn, ByteView bytes);
  void write(Conn& conn, Bytes bytes);
  // Hands blocked bytes to the kernel until its send buffer is full; true once none are left. A failed
  // write (the peer is gone) drops them: its read side reports the close.
  bool flush_blocked(Conn& conn);
  void pump_up();
  void on_datagrams_readable();
  void transmit_datagram(const Endpoint& remote, ByteView bytes);
  void deliver_datagram(const Endpoint& from, ByteView bytes);
  void pump_down();
  void schedule(ShapedQueue& queue, TimerId& timer, void (Transport::*pump)());
  void finish_flushed_closes();
  // Closes a closing connection once none of its bytes wait in the uplink or the send buffer; true once
  // it is gone. While the kernel refuses its bytes, watch_stall bounds the wait.
  bool forget_if_flushed(ConnId conn);
  void watch_stall(Conn& conn, Duration delay);
  void end_connection(ConnId conn, std::string reason);
  void forget(ConnId conn);
  void report_closed(ConnId conn, std::string reason);
  Conn* find(ConnId conn);

  Reactor& reactor_;
  int listener_ = -1;
  EpollSet reads_{EPOLLIN};
  EpollSet writes_{EPOLLOUT};
  std::size_t read_source_;
  Bytes read_buffer_;
  Handlers handlers_;
  ShapedQueue up_;
  ShapedQueue down_;
  TimerId up_timer_, down_timer_;
  TimerId rest_timer_;  // while the listener rests, out of descriptors
  std::unordered_map<ConnId, Conn> conns_;
  std::vector<ConnId> closing_;
  IdAllocator<ConnId> ids_;
  std::uint64_t bytes_sent_ = 0, bytes_received_ = 0;
  std::uint64_t accept_rests_ = 0;
  bool reading_paused_ = false;
  double loss_;
  Rng loss_draws_;
  std::unique_ptr<DatagramPort> datagram_port_;
  DatagramPort::OnDatagram on_datagram_;
  DatagramCounters datagrams_;
};

// Raises this process's open-file limit to its hard limit, so one process can hold thousands of connections.
void raise_fd_limit();

}  // namespace p2p
