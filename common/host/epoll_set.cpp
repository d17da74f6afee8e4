// The epoll set: create, add, remove, and take what is ready.
#include "common/host/epoll_set.h"

#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace p2p {

EpollSet::EpollSet(std::uint32_t events) : fd_(::epoll_create1(EPOLL_CLOEXEC)), events_(events) {
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
}

EpollSet::~EpollSet() {
  ::close(fd_);
}

void EpollSet::add(int fd, std::uint64_t key) {
  epoll_event event{};
  event.events = events_;
  event.data.u64 = key;
  ::epoll_ctl(fd_, EPOLL_CTL_ADD, fd, &event);
}

void EpollSet::remove(int fd) {
  ::epoll_ctl(fd_, EPOLL_CTL_DEL, fd, nullptr);
}

std::span<const epoll_event> EpollSet::ready(std::span<epoll_event> buffer) {
  int n = ::epoll_wait(fd_, buffer.data(), static_cast<int>(buffer.size()), 0);
  return buffer.first(n > 0 ? static_cast<std::size_t>(n) : 0);
}

}  // namespace p2p
