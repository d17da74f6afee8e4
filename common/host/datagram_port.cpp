// The UDP socket beside the TCP listener.
#include "common/host/datagram_port.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/net/datagram.h"

namespace p2p {
namespace {

sockaddr_in to_sockaddr(const Endpoint& endpoint) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(endpoint.port);
  address.sin_addr.s_addr = htonl(endpoint.ipv4());
  return address;
}

}  // namespace

Expected<std::unique_ptr<DatagramPort>> DatagramPort::open(const Endpoint& at) {
  std::string where = "cannot open the datagram port " + at.str() + ": ";
  if (at.ipv4() == 0 && at.host != "0.0.0.0") return make_error(where + "not a dotted IPv4 address");
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return make_error(where + std::strerror(errno));
  sockaddr_in address = to_sockaddr(at);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    std::string reason = std::strerror(errno);
    ::close(fd);
    return make_error(where + reason);
  }
  return std::unique_ptr<DatagramPort>(new DatagramPort(fd));
}

DatagramPort::DatagramPort(int fd) : fd_(fd), buffer_(kMaxDatagramBytes) {}

DatagramPort::~DatagramPort() {
  ::close(fd_);
}

bool DatagramPort::send_to(const Endpoint& remote, ByteView bytes) {
  if (remote.ipv4() == 0) return false;
  sockaddr_in address = to_sockaddr(remote);
  ssize_t n = ::sendto(fd_, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL,
                       reinterpret_cast<const sockaddr*>(&address), sizeof address);
  return n == static_cast<ssize_t>(bytes.size());
}

void DatagramPort::receive(int max, const OnDatagram& on_datagram) {
  for (int i = 0; i < max; ++i) {
    sockaddr_in from{};
    socklen_t length = sizeof from;
    ssize_t n = ::recvfrom(fd_, buffer_.data(), buffer_.size(), MSG_DONTWAIT,
                           reinterpret_cast<sockaddr*>(&from), &length);
    // EAGAIN: nothing more is waiting. Any other error (an ICMP report on a datagram sent earlier) is not
    // about a datagram waiting here; the next wake-up reads on.
    if (n < 0) return;
    on_datagram(Endpoint::from_ipv4(ntohl(from.sin_addr.s_addr), ntohs(from.sin_port)),
                ByteView(buffer_.data(), static_cast<std::size_t>(n)));
  }
}

}  // namespace p2p
