// Test binds of a TCP and a UDP socket.
#include "labs/launcher/free_port.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace p2p::labs {
namespace {

bool can_bind(int type, const Endpoint& at) {
  int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  if (type == SOCK_STREAM) {
    int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(at.port);
  address.sin_addr.s_addr = htonl(at.ipv4());
  bool bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return bound;
}

}  // namespace

bool port_is_free(const Endpoint& at) {
  return can_bind(SOCK_STREAM, at) && can_bind(SOCK_DGRAM, at);
}

}  // namespace p2p::labs
