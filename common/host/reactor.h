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

// Who may send or receive on a socket the reactor watches. ZeroMQ wakes a poller through the socket's
// ZMQ_FD, which is edge-triggered: any operation on the socket may take the wake-up without the poll seeing
// it, so a message can wait while the descriptor stays quiet (zmq_getsockopt(3), ZMQ_FD).
enum class SocketUse {
  callback_only,  // only its callback touches it: checked when its descriptor fires and after each call
  shared,         // others send on it too (the recorder's XPUB): checked before every sleep
};

// Runs everything of one process on one thread: socket readiness, timers (one-shot and periodic,
// cancellable) and deferred calls. Time is the steady clock, so timers survive wall-clock jumps.
class Reactor {
 public:
  using Callback = std::function<void()>;

  Reactor();

  // Calls `on_readable` whenever `socket` has a message; the callback need not read them all. Returns a
  // handle for pause()/resume().
  std::size_t add_socket(zmq::socket_ref socket, Callback on_readable, SocketUse use = SocketUse::shared);
  std::size_t add_fd(int fd, Callback on_readable);
  // A paused source is not polled (the Transport stops reading when its download queue is full).
  void pause(std::size_t source) { sources_[source].paused = true; }
  void resume(std::size_t source) {
    sources_[source].paused = false;
    sources_[source].check = true;
  }

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
    zmq::socket_ref socket;  // empty for a plain descriptor
    int fd;                  // the descriptor polled: the socket's ZMQ_FD, or the plain one
    Callback on_readable;
    SocketUse use = SocketUse::shared;
    bool paused = false;
    bool check = true;  // a socket whose ZMQ_EVENTS must be read before the next sleep
  };
  struct Timer {
    TimePoint when;
    Duration period;
    Callback fn;
  };
  using Due = std::pair<TimePoint, TimerId>;

  void run_until(std::optional<TimePoint> deadline);
  void poll_once(std::optional<TimePoint> deadline);
  static bool has_message(zmq::socket_ref socket);
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
