// Transport: real TCP connections through one ZeroMQ ZMQ_STREAM socket, with framing and link shaping.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <zmq.hpp>

#include "common/host/datagram_port.h"
#include "common/host/reactor.h"
#include "common/net/datagram.h"
#include "common/net/endpoint.h"
#include "common/net/framer.h"
#include "common/net/link_shaper.h"
#include "common/util/expected.h"
#include "common/util/ids.h"
#include "common/util/random.h"

namespace p2p {

// Carries a protocol's own bytes on TCP. ZMQ_STREAM hands us raw TCP with a routing id per connection;
// this class turns that into connections with ids, open/frame/close callbacks and per-node link shaping.
// The ZMQ_STREAM traps it handles, as libzmq 4.3 behaves:
//  - connect and disconnect notices are empty frames; which one it is follows from the connection's state;
//  - outbound connections carry a routing id we choose (ZMQ_CONNECT_ROUTING_ID), so we know our own
//  connection;
//  - closing is the id plus an empty frame, for inbound and outbound connections alike, and that also ends
//    libzmq's session for an outbound connection, so it is never redialled behind the core's back;
//  - we never call zmq_disconnect(), and never set ZMQ_RECONNECT_IVL to -1: both end *every* connection to
//  the
//    same endpoint (with -1, one peer's close makes libzmq drop all its siblings, silently). The reconnect
//    interval is set to days instead, so a session whose peer closed stays put until we end it;
//  - a refused connect is reported only by the socket monitor (ZMQ_EVENT_CLOSED or CONNECT_RETRIED, naming
//  the
//    endpoint), so the oldest connection still dialling that endpoint fails; a connect timeout catches the
//    rest.
// Datagrams, once open_datagrams() has bound a UDP socket, cross the same ShapedQueues as the stream bytes
// (kDatagramConn), so both share the node's caps; a lossy link (LinkConfig::loss) drops a fraction as they
// leave the uplink.
class Transport {
 public:
  struct Handlers {
    std::function<std::unique_ptr<Framer>(ConnId, bool inbound)> make_framer;
    std::function<void(ConnId, bool inbound, const Endpoint&)> on_open;
    std::function<void(ConnId, ByteView frame)> on_frame;
    std::function<void(ConnId, const std::string& reason)> on_closed;
  };

  Transport(zmq::context_t& context, Reactor& reactor, LinkConfig link, Handlers handlers);
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

  Duration connect_timeout = std::chrono::seconds(5);
  // The download queue's size at which we stop reading the socket, so TCP pushes back on fast senders.
  std::size_t max_download_backlog = 8 << 20;

 private:
  // Connecting: dialled, waiting for ZeroMQ's connect notice. Open: both ways. Closing: the core closed it
  // and its queued bytes are still leaving. PeerClosed: the peer closed it and its last bytes are still
  // arriving.
  enum class State { Connecting, Open, Closing, PeerClosed };
  struct Conn {
    std::string routing_id;
    State state;
    bool inbound;
    Endpoint remote;
    std::unique_ptr<FrameAssembler> frames;
    TimerId connect_timer;
    std::deque<Bytes> blocked;  // left the shaper but ZeroMQ's pipe was full
    std::size_t blocked_bytes = 0;
  };

  void on_readable();
  void on_monitor_event();
  void on_notice(const std::string& routing_id, zmq::message_t& notice);
  void on_bytes(ConnId conn, ByteView bytes);
  void deliver(ConnId conn, ByteView bytes);
  void write(Conn& conn, Bytes bytes);
  // Hands `bytes` to ZeroMQ and returns true, or returns false (bytes untouched) if its pipe is full.
  bool write_now(Conn& conn, Bytes& bytes);
  void retry_blocked();
  void pump_up();
  void on_datagrams_readable();
  void transmit_datagram(const Endpoint& remote, ByteView bytes);
  void deliver_datagram(const Endpoint& from, ByteView bytes);
  void pump_down();
  void schedule(ShapedQueue& queue, TimerId& timer, void (Transport::*pump)());
  void finish_flushed_closes();
  void hang_up(ConnId conn);
  void send_close_frame(const std::string& routing_id);
  void end_connection(ConnId conn, std::string reason);
  void forget(ConnId conn);
  void report_closed(ConnId conn, std::string reason);
  Conn* find(ConnId conn);

  Reactor& reactor_;
  zmq::socket_t socket_;
  zmq::socket_t monitor_;
  std::size_t source_;
  Handlers handlers_;
  ShapedQueue up_;
  ShapedQueue down_;
  TimerId up_timer_, down_timer_, retry_timer_;
  std::unordered_map<ConnId, Conn> conns_;
  std::unordered_map<std::string, ConnId> by_routing_id_;
  std::vector<ConnId> closing_;
  IdAllocator<ConnId> ids_;
  std::uint64_t bytes_sent_ = 0, bytes_received_ = 0;
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
