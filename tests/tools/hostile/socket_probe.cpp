// A hostile client's socket on loopback, and the record of how the peer reacted.
#include "tests/tools/hostile/socket_probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <sstream>

namespace p2p::hostile {
namespace {

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

}  // namespace

Expected<SocketProbe> SocketProbe::open(Kind kind, std::uint16_t port, Clock::duration limit) {
  int fd =
      ::socket(AF_INET, (kind == Kind::Tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return make_error(std::string("socket: ") + std::strerror(errno));
  SocketProbe probe(fd, kind);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int error = 0;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
    error = errno;
    pollfd p{fd, POLLOUT, 0};
    if (error == EINPROGRESS) {
      error = ::poll(&p, 1, remaining_ms(Clock::now() + limit)) > 0 ? 0 : ETIMEDOUT;
      socklen_t size = sizeof error;
      if (error == 0) ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
    }
  }
  if (error != 0)
    return make_error("connect to 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(error));
  return probe;
}

SocketProbe::SocketProbe(SocketProbe&& other) noexcept {
  *this = std::move(other);
}

SocketProbe& SocketProbe::operator=(SocketProbe&& other) noexcept {
  std::swap(fd_, other.fd_);
  kind_ = other.kind_;
  opened_at_ = other.opened_at_;
  closed_at_ = other.closed_at_;
  sent_ = other.sent_;
  received_ = other.received_;
  tail_ = std::move(other.tail_);
  return *this;
}

SocketProbe::~SocketProbe() {
  if (fd_ >= 0) ::close(fd_);
}

bool SocketProbe::send(ByteView bytes, Clock::duration limit) {
  Clock::time_point deadline = Clock::now() + limit;
  std::size_t done = 0;
  while (!closed() && done < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      sent_ += static_cast<std::uint64_t>(n);
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      if (kind_ == Kind::Udp) return false;  // ECONNREFUSED from an earlier datagram: nobody listens
      closed_at_ = Clock::now();
      break;
    }
    if (Clock::now() >= deadline) return false;
    // Full send buffer: read meanwhile, so a peer that answers and closes is noticed.
    pollfd p{fd_, POLLOUT | POLLIN, 0};
    ::poll(&p, 1, std::min(remaining_ms(deadline), 50));
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) drain();
  }
  return !closed();
}

void SocketProbe::watch(Clock::duration limit, Until until) {
  Clock::time_point deadline = Clock::now() + limit;
  std::uint64_t received_before = received_;
  while (!closed()) {
    pollfd p{fd_, POLLIN, 0};
    int ready = ::poll(&p, 1, remaining_ms(deadline));
    bool blank_line = ready > 0 && read_ready();
    if (until == Until::BlankLine && blank_line) return;
    if (until == Until::AnyBytes && received_ > received_before) return;
    if (ready <= 0 && Clock::now() >= deadline) return;
  }
}

bool SocketProbe::read_ready() {
  std::array<char, 16384> buffer;
  bool blank_line = false;
  while (true) {
    ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (n > 0) {
      received_ += static_cast<std::uint64_t>(n);
      tail_.append(buffer.data(), static_cast<std::size_t>(n));
      if (tail_.find("\r\n\r\n") != std::string::npos) blank_line = true;
      if (tail_.size() > 3) tail_.erase(0, tail_.size() - 3);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return blank_line;
    // 0 is an orderly close; ECONNRESET a reset. On UDP, ECONNREFUSED means nobody listens.
    if (kind_ == Kind::Tcp || errno != ECONNREFUSED) closed_at_ = Clock::now();
    return blank_line;
  }
}

double SocketProbe::seconds_open() const {
  return std::chrono::duration<double>(closed_at_.value_or(Clock::now()) - opened_at_).count();
}

std::string SocketProbe::describe() const {
  std::ostringstream out;
  out.precision(2);
  out << std::fixed << (closed() ? "closed by the peer after " : "still open after ") << seconds_open()
      << " s, " << sent_ << " bytes sent, " << received_ << " received";
  return out.str();
}

}  // namespace p2p::hostile
