// EpollSet: the sockets of one kind of readiness, watched through one descriptor the Reactor polls.
#pragma once

#include <sys/epoll.h>

#include <cstdint>
#include <span>

namespace p2p {

// A level-triggered epoll(7) set. Its own descriptor is readable while any member is ready, so the Reactor
// polls that one descriptor however many connections the set holds, and wait() returns only the ready ones.
// Each member carries a 64-bit key (the Transport's connection id) instead of its descriptor, so an event
// for a socket closed and reused within one batch cannot reach the wrong connection.
class EpollSet {
 public:
  // `events`: what to watch each member for, EPOLLIN or EPOLLOUT.
  explicit EpollSet(std::uint32_t events);
  ~EpollSet();
  EpollSet(const EpollSet&) = delete;
  EpollSet& operator=(const EpollSet&) = delete;

  int fd() const { return fd_; }
  void add(int fd, std::uint64_t key);
  // A closed descriptor leaves the set by itself; remove() is for one that stays open.
  void remove(int fd);
  // The ready members (their keys in data.u64), at most buffer.size(), without waiting.
  std::span<const epoll_event> ready(std::span<epoll_event> buffer);

 private:
  int fd_;
  std::uint32_t events_;
};

}  // namespace p2p
