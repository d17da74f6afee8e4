// The protocol core interface (docs/ARCHITECTURE.md, "The layers"): events in, a narrow Runtime out.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/net/datagram.h"
#include "common/net/endpoint.h"
#include "common/net/framer.h"
#include "common/telemetry/sink.h"
#include "common/util/bytes.h"
#include "common/util/ids.h"
#include "common/util/random.h"
#include "common/util/time.h"

namespace p2p {

enum class LogLevel { Debug, Info, Warn, Error };

// Everything a core may do to the world. The real Host, SimNet and the tests' FakeRuntime implement it;
// a core never opens a socket, reads a clock or prints.
class Runtime {
 public:
  virtual ~Runtime() = default;

  // Opens a TCP connection. The core hears on_connected() when it is up, or on_closed() if it fails.
  virtual ConnId connect(const Endpoint& remote) = 0;
  // Queues bytes on the node's shaped uplink. Sending on a closed connection does nothing.
  virtual void send(ConnId conn, Bytes bytes) = 0;
  // Closes the connection. The reason is counted in the node's telemetry, and on_closed(conn, reason)
  // follows once the current callback has returned: every connection ends in exactly one on_closed().
  virtual void close(ConnId conn, std::string reason) = 0;
  // Replaces how bytes arriving on `conn` are cut into frames (after a handshake, for instance).
  virtual void set_framer(ConnId conn, std::unique_ptr<Framer> framer) = 0;
  // Bytes given to send() on `conn` that have not yet left the node's uplink: the core's back-pressure
  // signal.
  virtual std::size_t queued_bytes(ConnId conn) const = 0;

  // Sends one UDP datagram from this node's datagram port, which has the number of its listening port (a
  // BEP 5 node is reached at the port it sends from). The uplink paces it like TCP bytes; a lossy link may
  // drop it, and nobody is told. A datagram larger than kMaxDatagramBytes is refused (and counted).
  virtual void send_datagram(const Endpoint& remote, Bytes bytes) = 0;

  virtual TimerId after(Duration delay, std::function<void()> fn) = 0;
  virtual TimerId every(Duration period, std::function<void()> fn) = 0;
  virtual void cancel(TimerId timer) = 0;
  virtual TimePoint now() const = 0;

  virtual Rng& random() = 0;
  virtual TelemetrySink& telemetry() = 0;
  virtual void log(LogLevel level, std::string_view message) = 0;

  // Where other nodes reach this one: the listening address and port.
  virtual Endpoint local_endpoint() const = 0;
  // Ends this node (a core that has finished its graceful leave, or a one-shot tool).
  virtual void stop() = 0;
};

// One protocol role (a Napster server, a Gnutella servent, a BitTorrent peer). It keeps its Runtime by
// reference from its constructor on, and reacts to the events below.
class Core {
 public:
  virtual ~Core() = default;

  virtual std::string_view system() const = 0;  // "napster", "gnutella", ...
  virtual std::string_view role() const = 0;    // "server", "peer", "servent", ...

  virtual void on_start() = 0;
  // How to cut the bytes of a new connection into frames.
  virtual std::unique_ptr<Framer> framer_for(ConnId conn, bool inbound) = 0;
  // `remote` is the address dialled for outbound connections, and the peer's address with port 0 for inbound
  // ones.
  virtual void on_connected(ConnId conn, bool inbound, const Endpoint& remote) = 0;
  virtual void on_frame(ConnId conn, ByteView frame) = 0;
  virtual void on_closed(ConnId conn, std::string_view reason) = 0;
  // Whether this core sends and receives datagrams: only then does the runtime open its datagram port.
  virtual bool uses_datagrams() const { return false; }
  // A datagram arrived from `from` (its sender's address and port).
  virtual void on_datagram(const Endpoint& /*from*/, ByteView /*bytes*/) {}
  // A graceful leave was asked for: say goodbye (a tracker "stopped", a Gnutella Bye). The runtime ends the
  // node after a short grace period, or as soon as the core calls Runtime::stop().
  virtual void on_leave() {}
  // The system's own fields for the periodic status record.
  virtual nlohmann::json status() const { return nlohmann::json::object(); }
};

}  // namespace p2p
