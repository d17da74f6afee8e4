// SimNet::Node: one simulated node, the Runtime its core sees. Internal to SimNet (common/sim/sim_net.cpp).
#pragma once

#include <algorithm>
#include <cassert>
#include <optional>
#include <unordered_map>

#include "common/sim/sim_net.h"
#include "common/telemetry/schema.h"
#include "common/util/id_map.h"

namespace p2p::sim {

// One simulated node: the Runtime its core sees, its shaped link, and its connections.
class SimNet::Node : public Runtime, public TelemetrySink {
 public:
  // Node i listens at 127.1.0.1 + i, port 6000.
  static constexpr std::uint16_t kPort = 6000;
  static constexpr std::uint32_t kFirstAddress = (127u << 24) | (1u << 16);

  Node(SimNet& net, NodeIndex index, std::string name, LinkConfig link, MakeCore make)
      : net_(net), index_(index), name_(std::move(name)), link_(link), make_(std::move(make)) {}

  // --- life ---
  void start() {
    ++generation_;
    alive_ = true;
    stopping_ = false;
    up_.emplace(link_.up_bps, link_.latency, net_.now_);
    down_.emplace(link_.down_bps, link_.latency, net_.now_);
    rng_ = Rng::for_node(net_.seed_ + generation_ * 0x9e37, index_);
    loss_rng_ = loss_draws(net_.seed_ + generation_ * 0x9e37, index_);
    core_ = make_(*this);
    core_->on_start();
  }
  // Drops everything at once (SIGKILL). Peers hear of it after the path latency.
  void die() {
    for (ConnId id : conn_ids()) {
      const Conn& conn = conns_.at(id);
      if (conn.peer) {
        Node* peer = &net_.node(conn.peer->first);
        ConnId peer_conn = conn.peer->second;
        std::uint64_t peer_generation = peer->generation_;
        net_.at(net_.now_ + path_latency(*peer), [peer, peer_conn, peer_generation] {
          if (peer->generation_ == peer_generation)
            peer->peer_vanished(peer_conn, "connection reset by peer");
        });
      }
    }
    conns_.clear();
    timers_.clear();
    ++generation_;
    alive_ = false;
    core_.reset();
  }
  void leave() {
    if (!alive_ || stopping_) return;
    core_->on_leave();
    std::uint64_t generation = generation_;
    net_.at(net_.now_ + kLeaveGrace, [this, generation] {
      if (generation_ == generation) stop();
    });
  }

  // --- Runtime ---
  ConnId connect(const Endpoint& remote) override {
    ConnId id = ids_.next();
    conns_.try_emplace(id, Conn{std::nullopt, remote, false, State::Connecting,
                                std::make_shared<FrameAssembler>(core_->framer_for(id, false))});
    Node* target = net_.listener(remote);
    std::uint64_t generation = generation_;
    if (target == nullptr || !target->alive_ || target->stopping_) {
      net_.at(net_.now_ + 2 * link_.latency, [this, id, generation] {
        if (generation_ == generation) fail(id, "connect failed: connection refused");
      });
      return id;
    }
    std::uint64_t target_generation = target->generation_;
    net_.at(net_.now_ + path_latency(*target), [this, target, id, generation, target_generation] {
      if (generation_ != generation) return;
      if (target->generation_ != target_generation || target->stopping_) {
        fail(id, "connect failed: connection refused");
        return;
      }
      auto it = conns_.find(id);
      if (it == conns_.end() || it->second.state != State::Connecting) return;
      // Schedule our confirmation before the listener hears of us, so anything it sends at once arrives after
      // it.
      ConnId their_id = target->ids_.next();
      it->second.peer = {target->index_, their_id};
      net_.at(net_.now_ + path_latency(*target), [this, id, generation] {
        if (generation_ != generation) return;
        auto c = conns_.find(id);
        if (c == conns_.end() || c->second.state != State::Connecting) return;
        c->second.state = State::Open;
        core_->on_connected(id, false, c->second.remote);
      });
      target->accept(their_id, index_, id);
    });
    return id;
  }

  void send(ConnId id, Bytes bytes) override {
    auto it = conns_.find(id);
    if (it == conns_.end() || it->second.state != State::Open || bytes.empty()) return;
    up_->push(id, std::move(bytes), net_.now_);
    pump_up();
  }

  // Datagrams leave by the same uplink as stream bytes; a stopping node, or one whose core does not use
  // datagrams (it has no datagram port), sends none.
  void send_datagram(const Endpoint& remote, Bytes bytes) override {
    if (!alive_ || stopping_ || !core_ || !core_->uses_datagrams()) return;
    if (bytes.size() > kMaxDatagramBytes) {
      ++datagrams_.dropped;
      return;
    }
    up_->push_datagram(remote, std::move(bytes), net_.now_);
    pump_up();
  }

  void close(ConnId id, std::string reason) override {
    auto it = conns_.find(id);
    if (it == conns_.end() || it->second.state == State::Closed) return;
    bool was_open = it->second.state == State::Open;
    it->second.state = State::Closed;
    down_->drop(id);
    if (was_open) {
      up_->push_end_of_stream(id, net_.now_);  // the peer hears of the close behind the data already sent
      pump_up();
    } else {
      conns_.erase(it);
    }
    notify_closed(id, std::move(reason));
  }

  void set_framer(ConnId id, std::unique_ptr<Framer> framer) override {
    if (auto it = conns_.find(id); it != conns_.end()) it->second.frames->set_framer(std::move(framer));
  }
  std::size_t queued_bytes(ConnId id) const override { return up_ ? up_->queued_bytes(id) : 0; }

  TimerId after(Duration delay, std::function<void()> fn) override {
    return add_timer(delay, Duration{0}, std::move(fn));
  }
  TimerId every(Duration period, std::function<void()> fn) override {
    assert(period > Duration{0});
    return add_timer(period, period, std::move(fn));
  }
  void cancel(TimerId timer) override { timers_.erase(timer); }
  TimePoint now() const override { return net_.now_; }
  Rng& random() override { return rng_; }
  TelemetrySink& telemetry() override { return *this; }
  void log(LogLevel, std::string_view) override {}
  Endpoint local_endpoint() const override { return endpoint(); }

  // Ends the node once its queued bytes have left, closing every connection gracefully.
  void stop() override {
    if (!alive_ || stopping_) return;
    stopping_ = true;
    for (ConnId id : conn_ids()) {
      Conn& conn = conns_.at(id);
      if (conn.state == State::Open) up_->push_end_of_stream(id, net_.now_);
      conn.state = State::Closed;
    }
    timers_.clear();
    pump_up();
    std::uint64_t generation = generation_;
    net_.at(net_.now_, [this, generation] {
      if (generation_ == generation) finish_stop_when_flushed();
    });
  }

  // --- TelemetrySink ---
  void event(std::string_view name, nlohmann::json data) override {
    net_.records_.push_back(
        telemetry::make_event(origin(), seconds_since_epoch(net_.now_), name, std::move(data)));
  }

  // --- what SimNet asks of a node ---
  Endpoint endpoint() const {
    return Endpoint::from_ipv4(kFirstAddress + static_cast<std::uint32_t>(index_), kPort);
  }
  const std::string& name() const { return name_; }
  bool alive() const { return alive_; }
  bool accepting() const { return alive_ && !stopping_; }
  Core& core() { return *core_; }
  const DatagramCounters& datagrams() const { return datagrams_; }
  telemetry::Origin origin() const {
    return {name_, core_ ? std::string(core_->system()) : "", core_ ? std::string(core_->role()) : ""};
  }
  nlohmann::json status_record(Duration since_last) {
    telemetry::LinkFigures link;
    std::uint64_t up = up_->bytes_released(), down = down_->bytes_released();
    if (since_last > Duration{0}) {
      link.up_bps = static_cast<double>(up - last_up_) * 8 / to_seconds(since_last);
      link.down_bps = static_cast<double>(down - last_down_) * 8 / to_seconds(since_last);
    }
    last_up_ = up;
    last_down_ = down;
    link.conns = conns_.size();
    nlohmann::json sys = core_->status();
    sys["closes"] = close_reasons_;
    if (core_->uses_datagrams()) sys["datagrams"] = datagrams_.to_json();
    return telemetry::make_status(origin(), seconds_since_epoch(net_.now_), link, std::move(sys));
  }

 private:
  static constexpr Duration kLeaveGrace = std::chrono::seconds(2);

  enum class State { Connecting, Open, Closed };
  struct Conn {
    std::optional<std::pair<NodeIndex, ConnId>> peer;  // the other end, once it has accepted
    Endpoint remote;
    bool inbound;
    State state;
    // Shared so that receive() keeps it while the core's on_frame may end the connection: a node without a
    // link (a tracker) hands a close to its peer, and forgets the connection, within the same call.
    std::shared_ptr<FrameAssembler> frames;
  };
  struct Timer {
    Duration period;
    std::function<void()> fn;
  };

  // The open connections in the order they were made, as the events a node's end schedules must be.
  std::vector<ConnId> conn_ids() const {
    std::vector<ConnId> ids;
    ids.reserve(conns_.size());
    for (const auto& [id, conn] : conns_) ids.push_back(id);
    return ids;
  }

  Duration path_latency(const Node& other) const { return link_.latency + other.link_.latency; }

  void accept(ConnId id, NodeIndex from, ConnId their_id) {
    Endpoint remote{net_.node(from).endpoint().host, 0};
    conns_.try_emplace(id, Conn{std::make_pair(from, their_id), remote, true, State::Open,
                                std::make_shared<FrameAssembler>(core_->framer_for(id, true))});
    core_->on_connected(id, true, remote);
  }

  // The core hears of every close once, from the event loop, never from inside its own call.
  void notify_closed(ConnId id, std::string reason) {
    ++close_reasons_[reason.substr(0, reason.find(':'))];  // counted by kind: what comes before any ':'
    std::uint64_t generation = generation_;
    net_.at(net_.now_, [this, id, generation, reason = std::move(reason)] {
      if (generation_ == generation && core_ && !stopping_) core_->on_closed(id, reason);
    });
  }

  void fail(ConnId id, std::string reason) {
    auto it = conns_.find(id);
    if (it == conns_.end() || it->second.state != State::Connecting) return;
    conns_.erase(it);
    notify_closed(id, std::move(reason));
  }

  void peer_vanished(ConnId id, std::string reason) {
    auto it = conns_.find(id);
    if (it == conns_.end()) return;
    bool was_open = it->second.state == State::Open;
    up_->drop(id);
    down_->drop(id);
    conns_.erase(it);
    if (was_open) notify_closed(id, std::move(reason));
  }

  void pump_up() {
    pump(*up_, pending_up_, [this](ShapedQueue::Segment&& s) { transmit(std::move(s)); });
  }
  void pump_down() {
    pump(*down_, pending_down_, [this](ShapedQueue::Segment&& s) { receive(std::move(s)); });
  }

  // Releases what is due from a queue, then makes sure an event wakes it for the next segment.
  void pump(ShapedQueue& queue, std::optional<TimePoint>& pending,
            const std::function<void(ShapedQueue::Segment&&)>& out) {
    queue.release(net_.now_, out);
    auto next = queue.next_event();
    if (!next || (pending && *pending <= *next && *pending >= net_.now_)) return;
    pending = next;
    // The wake captures 16 bytes, which std::function holds without allocating (it runs once per segment):
    // the direction rides in the generation's low bit, and the time it was due for is the clock's then.
    std::uint64_t key = generation_ << 1 | (&queue == &*up_ ? 1 : 0);
    net_.at(*next, [this, key] {
      if (generation_ != key >> 1) return;
      bool is_up = (key & 1) != 0;
      auto& slot = is_up ? pending_up_ : pending_down_;
      if (slot == net_.now_) slot.reset();
      is_up ? pump_up() : pump_down();
      if (is_up && stopping_) finish_stop_when_flushed();
    });
  }

  // A segment has left our uplink: hand it to the other end's downlink.
  void transmit(ShapedQueue::Segment&& segment) {
    if (segment.conn == kDatagramConn) {
      transmit_datagram(std::move(segment));
      return;
    }
    auto it = conns_.find(segment.conn);
    if (it == conns_.end() || !it->second.peer) return;
    auto [peer_index, peer_conn] = *it->second.peer;
    if (segment.end_of_stream) conns_.erase(it);
    Node& peer = net_.node(peer_index);
    if (!peer.alive_) return;
    if (segment.end_of_stream) {
      peer.down_->push_end_of_stream(peer_conn, net_.now_);
    } else {
      peer.down_->push(peer_conn, std::move(segment.bytes), net_.now_);
    }
    peer.pump_down();
  }

  // A datagram has left our uplink: the link may lose it; otherwise it crosses to the downlink of the node at
  // its address, if that node is up and has a datagram port. Nobody hears of a datagram that went nowhere.
  void transmit_datagram(ShapedQueue::Segment&& segment) {
    if (loss_rng_.chance(link_.loss)) {
      ++datagrams_.dropped;
      return;
    }
    ++datagrams_.sent;
    Node* peer = net_.listener(segment.peer);
    if (peer == nullptr || !peer->alive_ || !peer->core_->uses_datagrams()) return;
    peer->down_->push_datagram(endpoint(), std::move(segment.bytes), net_.now_);
    peer->pump_down();
  }

  // A segment has crossed our downlink: a datagram goes to the core whole, stream bytes are cut into frames.
  void receive(ShapedQueue::Segment&& segment) {
    if (segment.conn == kDatagramConn) {
      if (stopping_) return;
      ++datagrams_.received;
      core_->on_datagram(segment.peer, segment.bytes);
      return;
    }
    auto it = conns_.find(segment.conn);
    if (it == conns_.end() || it->second.state != State::Open) return;
    if (segment.end_of_stream) {
      it->second.state = State::Closed;
      conns_.erase(it);
      notify_closed(segment.conn, "closed by peer");
      return;
    }
    // Whole frames are cut straight from the segment; only a trailing partial one is copied and kept. The
    // connection is not looked up again after each frame: an IdMap's elements stay where they are as others
    // come and go, and while the map still holds the connection it shares the assembler with us.
    const Conn& conn = it->second;
    std::shared_ptr<FrameAssembler> frames = conn.frames;
    Status status = frames->feed(segment.bytes, [&](ByteView frame) {
      core_->on_frame(segment.conn, frame);
      // The map's copy of the assembler goes with the connection, if the core's call ended it at once.
      bool still_held = frames.use_count() > 1;
      return still_held && conn.state == State::Open;
    });
    if (!status.ok()) close(segment.conn, "framing error: " + status.reason());
  }

  void finish_stop_when_flushed() {
    if (!up_->empty()) return;
    conns_.clear();
    timers_.clear();  // any the core set while it stopped
    ++generation_;
    alive_ = false;
    stopping_ = false;
    core_.reset();
    net_.records_.push_back(telemetry::make_event({"launcher", "launcher", "launcher"},
                                                  seconds_since_epoch(net_.now_), telemetry::kNodeLeft,
                                                  {{"node", name_}}));
  }

  TimerId add_timer(Duration delay, Duration period, std::function<void()> fn) {
    TimerId id = timer_ids_.next();
    timers_[id] = Timer{period, std::move(fn)};
    schedule_timer(id, net_.now_ + delay);
    return id;
  }
  // The tick captures 16 bytes, which std::function holds without allocating: no generation, since timer
  // ids are never reused and a node that ends forgets its timers, so a tick of an earlier life finds none.
  void schedule_timer(TimerId id, TimePoint when) {
    net_.at(when, [this, id] {
      auto it = timers_.find(id);
      if (it == timers_.end()) return;
      // Moved out, not copied (a copy allocates on every tick): the callback may cancel its own timer. A
      // periodic timer that survives its callback gets it back.
      auto fn = std::move(it->second.fn);
      bool periodic = it->second.period > Duration{0};
      if (periodic) {
        schedule_timer(id, net_.now_ + it->second.period);
      } else {
        timers_.erase(it);
      }
      fn();
      if (!periodic) return;
      if (auto again = timers_.find(id); again != timers_.end()) again->second.fn = std::move(fn);
    });
  }

  SimNet& net_;
  NodeIndex index_;
  std::string name_;
  LinkConfig link_;
  MakeCore make_;
  std::uint64_t generation_ = 0;
  bool alive_ = false;
  bool stopping_ = false;
  Rng rng_;
  Rng loss_rng_;
  DatagramCounters datagrams_;
  std::optional<ShapedQueue> up_, down_;
  std::optional<TimePoint> pending_up_, pending_down_;
  // Found on every segment (an IdMap, whose sorted ids cost fewer cache misses than a hash table's nodes),
  // walked in order when the node ends (conn_ids()).
  IdMap<ConnId, Conn> conns_;
  IdAllocator<ConnId> ids_;
  std::unordered_map<TimerId, Timer> timers_;
  IdAllocator<TimerId> timer_ids_;
  std::map<std::string, std::uint64_t> close_reasons_;
  std::uint64_t last_up_ = 0, last_down_ = 0;
  // Last, so it is destroyed first: a core may still cancel its timers or close connections as it goes.
  std::unique_ptr<Core> core_;
};

}  // namespace p2p::sim
