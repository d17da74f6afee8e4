// DatagramPort: a node's UDP socket, bound beside its TCP listener at the same address and port.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/net/endpoint.h"
#include "common/util/bytes.h"
#include "common/util/expected.h"

namespace p2p {

// A non-blocking UDP/IPv4 socket. It only moves bytes: pacing, loss and counting are the Transport's. The
// Reactor polls fd() as a plain descriptor beside ZeroMQ's (poll(2) is level-triggered, so a wake-up that
// leaves datagrams waiting comes back).
class DatagramPort {
 public:
  using OnDatagram = std::function<void(const Endpoint& from, ByteView bytes)>;

  // Binds to `at` (a dotted IPv4 address and a port, which may be 0).
  static Expected<std::unique_ptr<DatagramPort>> open(const Endpoint& at);
  ~DatagramPort();
  DatagramPort(const DatagramPort&) = delete;
  DatagramPort& operator=(const DatagramPort&) = delete;

  int fd() const { return fd_; }
  // Hands one datagram to the kernel; false if it refused it (a full send buffer, an address that is not
  // dotted IPv4): the datagram is gone, as a router would drop it.
  bool send_to(const Endpoint& remote, ByteView bytes);
  // Reads at most `max` waiting datagrams, handing each to `on_datagram`.
  void receive(int max, const OnDatagram& on_datagram);

 private:
  explicit DatagramPort(int fd);

  int fd_;
  Bytes buffer_;  // one datagram of the largest size
};

}  // namespace p2p
