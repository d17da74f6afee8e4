// The poll loop.
#include "common/host/reactor.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <limits>
#include <system_error>
#include <utility>

namespace p2p {

Reactor::Reactor() = default;

std::size_t Reactor::add_socket(zmq::socket_ref socket, Callback on_readable, SocketUse use) {
  sources_.push_back(Source{socket, socket.get(zmq::sockopt::fd), std::move(on_readable), use});
  return sources_.size() - 1;
}

std::size_t Reactor::add_fd(int fd, Callback on_readable) {
  sources_.push_back(Source{zmq::socket_ref{}, fd, std::move(on_readable), SocketUse::callback_only,
                            /*paused=*/false, /*check=*/false});
  return sources_.size() - 1;
}

TimerId Reactor::after(Duration delay, Callback fn) {
  TimerId id = timer_ids_.next();
  TimePoint when = now() + delay;
  timers_[id] = Timer{when, Duration{0}, std::move(fn)};
  due_.emplace(when, id);
  return id;
}

TimerId Reactor::every(Duration period, Callback fn) {
  TimerId id = timer_ids_.next();
  TimePoint when = now() + period;
  timers_[id] = Timer{when, period, std::move(fn)};
  due_.emplace(when, id);
  return id;
}

void Reactor::cancel(TimerId timer) {
  timers_.erase(timer);
}

void Reactor::post(Callback fn) {
  posted_.push_back(std::move(fn));
}

TimePoint Reactor::now() const {
  return TimePoint(std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now().time_since_epoch()));
}

void Reactor::run() {
  run_until(std::nullopt);
}

void Reactor::run_for(Duration d) {
  run_until(now() + d);
}

void Reactor::run_until(std::optional<TimePoint> deadline) {
  running_ = true;
  while (running_ && (!deadline || now() < *deadline)) {
    run_posted();
    if (!running_) break;
    poll_once(deadline);
    fire_due_timers();
  }
}

void Reactor::run_posted() {
  // Posted calls may post more; run them all before polling so a close is never left pending.
  while (!posted_.empty()) {
    auto batch = std::exchange(posted_, {});
    for (auto& fn : batch) fn();
  }
}

void Reactor::poll_once(std::optional<TimePoint> deadline) {
  // Drop cancelled timers from the top so they do not shorten the poll timeout.
  while (!due_.empty() && !timers_.contains(due_.top().second)) due_.pop();
  std::optional<TimePoint> wake = deadline;
  if (!due_.empty() && (!wake || due_.top().first < *wake)) wake = due_.top().first;
  long timeout_ms = -1;
  if (wake) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(*wake - now()).count();
    timeout_ms = std::max<long>(0, left);
  }

  // Sockets are read as zmq_poll reads them, but each one's ZMQ_EVENTS only when its wake-up may have been
  // taken: every loop for a shared socket, and for the others after their callback or their descriptor
  // firing. zmq_poll reads every socket's ZMQ_EVENTS before and after it sleeps, two system calls each.
  bool ready = !posted_.empty();
  std::vector<pollfd> fds;
  std::vector<std::size_t> which;
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    Source& source = sources_[i];
    if (source.paused) continue;
    if (source.socket && (source.check || source.use == SocketUse::shared)) {
      source.check = has_message(source.socket);
      ready = ready || source.check;
    }
    fds.push_back({source.fd, POLLIN, 0});
    which.push_back(i);
  }
  if (ready) timeout_ms = 0;
  timeout_ms = std::min<long>(timeout_ms, std::numeric_limits<int>::max());
  if (::poll(fds.data(), fds.size(), static_cast<int>(timeout_ms)) < 0) {
    // A signal caught by a handler (ncurses' SIGWINCH when the dashboard shares the process) interrupts the
    // poll: nothing is ready, so the loop goes round and polls again.
    if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "poll");
    return;
  }
  for (std::size_t k = 0; k < fds.size(); ++k) {
    std::size_t i = which[k];
    bool fired = (fds[k].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
    if (sources_[i].socket) {
      if (fired && !sources_[i].check) sources_[i].check = has_message(sources_[i].socket);
      fired = sources_[i].check;
    }
    if (!fired) continue;
    sources_[i].on_readable();  // may add sources: index, don't hold a reference
    // Its reads took the wake-up, and it may have left messages: look again before sleeping.
    if (sources_[i].socket) sources_[i].check = true;
  }
}

bool Reactor::has_message(zmq::socket_ref socket) {
  return (socket.get(zmq::sockopt::events) & ZMQ_POLLIN) != 0;
}

void Reactor::fire_due_timers() {
  TimePoint t = now();
  while (!due_.empty() && due_.top().first <= t) {
    auto [when, id] = due_.top();
    due_.pop();
    auto it = timers_.find(id);
    if (it == timers_.end() || it->second.when != when) continue;  // cancelled, or a stale entry
    if (it->second.period > Duration{0}) {
      it->second.when += it->second.period;
      if (it->second.when < t) it->second.when = t + it->second.period;  // fell behind: skip, don't burst
      due_.emplace(it->second.when, id);
      auto fn = it->second.fn;  // copy: the callback may cancel its own timer
      fn();
    } else {
      auto fn = std::move(it->second.fn);
      timers_.erase(it);
      fn();
    }
  }
}

}  // namespace p2p
