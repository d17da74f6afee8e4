// Reactor: one poll loop over ZeroMQ sockets and file descriptors, with monotonic timers.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <queue>
#include <vector>

#include <zmq.hpp>

#include "common/util/ids.h"
#include "common/util/time.h"

namespace p2p {

// Runs everything of one process on one thread: socket readiness, timers (one-shot and periodic,
// cancellable) and deferred calls. Time is the steady clock, so timers survive wall-clock jumps.
class Reactor {
 public:
  using Callback = std::function<void()>;

  Reactor();

  // Calls `on_readable` whenever `socket` has a message. Returns a handle for pause()/resume()/remove().
  std::size_t add_socket(zmq::socket_ref socket, Callback on_readable);
  std::size_t add_fd(int fd, Callback on_readable);
  // A paused source is not polled (the Transport stops reading when its download queue is full).
  void pause(std::size_t source) { sources_[source].paused = true; }
  void resume(std::size_t source) { sources_[source].paused = false; }

  TimerId after(Duration delay, Callback fn);
  TimerId every(Duration period, Callback fn);
  void cancel(TimerId timer);
  // Runs `fn` once, from the loop, after the current callback returns.
  void post(Callback fn);

  TimePoint now() const;

  // Polls until stop(). run_for() returns after `d` as well (tests).
  void run();
  void run_for(Duration d);
  void stop() { running_ = false; }

 private:
  struct Source {
    zmq::socket_ref socket;
    int fd;
    Callback on_readable;
    bool paused = false;
  };
  struct Timer {
    TimePoint when;
    Duration period;
    Callback fn;
  };
  using Due = std::pair<TimePoint, TimerId>;

  void run_until(std::optional<TimePoint> deadline);
  void poll_once(std::optional<TimePoint> deadline);
  void fire_due_timers();
  void run_posted();

  std::vector<Source> sources_;
  std::map<TimerId, Timer> timers_;
  std::priority_queue<Due, std::vector<Due>, std::greater<>> due_;
  std::vector<Callback> posted_;
  IdAllocator<TimerId> timer_ids_;
  bool running_ = false;
};

}  // namespace p2p
