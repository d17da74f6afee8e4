// FakeRuntime: a Runtime for unit tests of one core, with a hand-turned clock and recorded outputs.
#pragma once

#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/node/core.h"

namespace p2p::testing {

// Records what a core asks of the world, so a test can narrate: "the core connects to the server,
// sends a login, and after 10 s re-sends it". Timers fire only when the test calls advance().
class FakeRuntime : public Runtime, public TelemetrySink {
 public:
  struct Event {
    std::string name;
    nlohmann::json data;
  };
  struct Datagram {
    Endpoint remote;
    Bytes bytes;
  };

  explicit FakeRuntime(std::uint64_t seed = 1, Endpoint local = {"127.0.0.1", 7000})
      : rng_(seed), local_(local) {}

  // The core that on_closed() notices go to; attach it right after constructing the core.
  void attach(Core& core) { core_ = &core; }

  // --- Runtime ---
  ConnId connect(const Endpoint& remote) override {
    ConnId id = ids_.next();
    dialled[id] = remote;
    return id;
  }
  void send(ConnId conn, Bytes bytes) override {
    if (!closed.contains(conn)) sent[conn].push_back(std::move(bytes));
  }
  void close(ConnId conn, std::string reason) override {
    if (closed.contains(conn)) return;
    closed[conn] = reason;
    pending_closes_.emplace_back(conn, std::move(reason));
  }
  void send_datagram(const Endpoint& remote, Bytes bytes) override {
    sent_datagrams.push_back({remote, std::move(bytes)});
  }
  void set_framer(ConnId conn, std::unique_ptr<Framer> framer) override { framers[conn] = std::move(framer); }
  std::size_t queued_bytes(ConnId conn) const override {
    auto it = queued.find(conn);
    return it == queued.end() ? 0 : it->second;
  }
  TimerId after(Duration delay, std::function<void()> fn) override {
    return add_timer(delay, Duration{0}, std::move(fn));
  }
  TimerId every(Duration period, std::function<void()> fn) override {
    return add_timer(period, period, std::move(fn));
  }
  void cancel(TimerId timer) override { timers_.erase(timer); }
  TimePoint now() const override { return now_; }
  Rng& random() override { return rng_; }
  TelemetrySink& telemetry() override { return *this; }
  void log(LogLevel, std::string_view message) override { logs.emplace_back(message); }
  Endpoint local_endpoint() const override { return local_; }
  void stop() override { stopped = true; }

  // --- TelemetrySink ---
  void event(std::string_view name, nlohmann::json data) override {
    events.push_back({std::string(name), std::move(data)});
  }

  // --- driving the test ---
  // A new inbound connection, announced to the core.
  ConnId accept(Core& core, Endpoint remote = {"127.0.0.9", 0}) {
    ConnId id = ids_.next();
    core.on_connected(id, true, remote);
    return id;
  }
  // A datagram from `from` arrives at the core; the closes it causes are delivered after it.
  void deliver_datagram(Core& core, const Endpoint& from, ByteView bytes) {
    core.on_datagram(from, bytes);
    pump();
  }
  // Delivers the on_closed() notices of connections the core closed itself.
  void pump() {
    while (!pending_closes_.empty() && core_ != nullptr) {
      auto [conn, reason] = std::move(pending_closes_.front());
      pending_closes_.pop_front();
      core_->on_closed(conn, reason);
    }
  }
  // Moves the clock forward, firing due timers in time order.
  void advance(Duration by) {
    TimePoint until = now_ + by;
    for (;;) {
      pump();
      auto due = timers_.end();
      for (auto it = timers_.begin(); it != timers_.end(); ++it) {
        if (it->second.when <= until && (due == timers_.end() || it->second.when < due->second.when))
          due = it;
      }
      if (due == timers_.end()) break;
      now_ = due->second.when;
      auto fn = due->second.fn;
      if (due->second.period > Duration{0}) {
        due->second.when += due->second.period;
      } else {
        timers_.erase(due);
      }
      fn();
    }
    now_ = until;
    pump();
  }
  // Everything sent on `conn` since the last call.
  std::vector<Bytes> take_sent(ConnId conn) { return std::exchange(sent[conn], {}); }
  std::size_t pending_timers() const { return timers_.size(); }

  std::map<ConnId, Endpoint> dialled;
  std::map<ConnId, std::vector<Bytes>> sent;
  std::vector<Datagram> sent_datagrams;  // every send_datagram(), in order
  std::map<ConnId, std::string> closed;
  std::map<ConnId, std::unique_ptr<Framer>> framers;
  std::map<ConnId, std::size_t> queued;  // what queued_bytes() answers: bytes a test says wait in the uplink
  std::vector<Event> events;
  std::vector<std::string> logs;
  bool stopped = false;

 private:
  struct Timer {
    TimePoint when;
    Duration period;
    std::function<void()> fn;
  };
  TimerId add_timer(Duration delay, Duration period, std::function<void()> fn) {
    TimerId id = timer_ids_.next();
    timers_[id] = Timer{now_ + delay, period, std::move(fn)};
    return id;
  }

  Rng rng_;
  Endpoint local_;
  Core* core_ = nullptr;
  TimePoint now_{};
  IdAllocator<ConnId> ids_;
  IdAllocator<TimerId> timer_ids_;
  std::map<TimerId, Timer> timers_;
  std::deque<std::pair<ConnId, std::string>> pending_closes_;
};

}  // namespace p2p::testing
