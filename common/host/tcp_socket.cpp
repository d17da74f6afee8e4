// Plain TCP sockets: listen, accept, connect, read and write, each made non-blocking.
#include "common/host/tcp_socket.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace p2p::tcp {
namespace {

// Dotted addresses are taken as they are; "0.0.0.0" and "*" mean every local address; anything else is a
// name for the resolver.
Expected<in_addr> resolve(const std::string& host) {
  in_addr address{};
  if (host == "*" || host == "0.0.0.0") return in_addr{htonl(INADDR_ANY)};
  if (::inet_pton(AF_INET, host.c_str(), &address) == 1) return address;
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int e = ::getaddrinfo(host.c_str(), nullptr, &hints, &found); e != 0) {
    return make_error("cannot resolve " + host + ": " + ::gai_strerror(e));
  }
  address = reinterpret_cast<const sockaddr_in*>(found->ai_addr)->sin_addr;
  ::freeaddrinfo(found);
  return address;
}

sockaddr_in socket_address(in_addr host, std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr = host;
  return address;
}

int new_socket() {
  return ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

// Protocol messages are small and each is sent as soon as the core has it, as libzmq sets it for its TCP.
void no_delay(int fd) {
  int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

Error failed(const std::string& what) {
  int e = errno;
  return make_error(what + ": " + std::strerror(e));
}

}  // namespace

Expected<int> listen(const std::string& host, std::uint16_t port, int backlog) {
  std::string where = "cannot listen on " + host + ":" + std::to_string(port);
  auto address = resolve(host);
  if (!address) return make_error(where + ": " + address.error().reason);
  int fd = new_socket();
  if (fd < 0) return failed(where);
  int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  no_delay(fd);  // Linux copies it to every accepted socket, which saves a system call per connection
  sockaddr_in at = socket_address(*address, port);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&at), sizeof at) != 0 || ::listen(fd, backlog) != 0) {
    Error error = failed(where);
    ::close(fd);
    return error;
  }
  return fd;
}

Expected<std::uint16_t> local_port(int fd) {
  sockaddr_in address{};
  socklen_t length = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return failed("getsockname");
  return ntohs(address.sin_port);
}

Expected<std::optional<Accepted>> accept(int listener) {
  while (true) {
    sockaddr_in from{};
    socklen_t length = sizeof from;
    int fd = ::accept4(listener, reinterpret_cast<sockaddr*>(&from), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0)
      return std::optional<Accepted>(
          Accepted{fd, Endpoint::from_ipv4(ntohl(from.sin_addr.s_addr), ntohs(from.sin_port))});
    // accept(2): a connection may fail between its arrival and its accept (ECONNABORTED, or a network
    // error such as EPROTO that Linux passes on); the next one may be fine.
    if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO) continue;
    if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) return failed("accept");
    return std::optional<Accepted>();
  }
}

Expected<int> connect(const Endpoint& remote) {
  auto address = resolve(remote.host);
  if (!address) return address.error();
  int fd = new_socket();
  if (fd < 0) return failed("socket");
  no_delay(fd);
  sockaddr_in to = socket_address(*address, remote.port);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0 && errno != EINPROGRESS) {
    Error error = failed("connect");
    ::close(fd);
    return error;
  }
  return fd;
}

int pending_error(int fd) {
  int error = 0;
  socklen_t length = sizeof error;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) return errno;
  return error;
}

Io read(int fd, std::uint8_t* buffer, std::size_t size) {
  ssize_t n = ::recv(fd, buffer, size, MSG_DONTWAIT);
  if (n > 0) return {Io::Result::Moved, static_cast<std::size_t>(n)};
  if (n == 0) return {Io::Result::Closed};
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return {Io::Result::WouldBlock};
  return {Io::Result::Failed};
}

Io write(int fd, ByteView bytes) {
  // MSG_NOSIGNAL: a peer that is gone is an error to handle, not a SIGPIPE that ends the process.
  ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  if (n >= 0) return {Io::Result::Moved, static_cast<std::size_t>(n)};
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return {Io::Result::WouldBlock};
  return {Io::Result::Failed};
}

void close(int fd) {
  ::close(fd);
}

}  // namespace p2p::tcp
