// TcpSocket: the few system calls the Transport makes on plain non-blocking TCP/IPv4 sockets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/net/endpoint.h"
#include "common/util/bytes.h"
#include "common/util/expected.h"

namespace p2p::tcp {

// A listening socket on host:port (port 0 picks a free one). Like libzmq's listener, it sets SO_REUSEADDR so
// a restarted node can take its port back while old connections sit in TIME_WAIT.
Expected<int> listen(const std::string& host, std::uint16_t port, int backlog);
// The port a socket is bound to.
Expected<std::uint16_t> local_port(int fd);

struct Accepted {
  int fd;
  Endpoint remote;  // the caller's address and its real (outgoing) port
};
// One waiting connection, or nothing when none is left (a connection reset before it was taken is skipped).
// The error when the process or the system is out of descriptors or memory (EMFILE, ENFILE, ENOBUFS,
// ENOMEM): the connection stays in the backlog. The new socket is non-blocking, with Nagle off (from the
// listener).
Expected<std::optional<Accepted>> accept(int listener);

// Starts a non-blocking connect; the socket becomes writable once it succeeds or fails (pending_error).
// A host that is not a dotted address is looked up first (a tracker URL may say "localhost").
Expected<int> connect(const Endpoint& remote);
// The error a non-blocking connect ended with, 0 when it succeeded (SO_ERROR).
int pending_error(int fd);

// What one read or write did: bytes moved, nothing to do now (EAGAIN), the peer closed its side (a read of
// 0), or the connection failed (ECONNRESET, EPIPE...).
struct Io {
  enum class Result { Moved, WouldBlock, Closed, Failed } result;
  std::size_t bytes = 0;
};
Io read(int fd, std::uint8_t* buffer, std::size_t size);
Io write(int fd, ByteView bytes);

void close(int fd);

}  // namespace p2p::tcp
