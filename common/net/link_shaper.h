// LinkShaper: a node's emulated access link (upload and download caps as token buckets, plus one-way
// latency).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "common/net/endpoint.h"
#include "common/util/bytes.h"
#include "common/util/ids.h"
#include "common/util/time.h"

namespace p2p {

// What one node's access link looks like. A cap of 0 means unlimited.
struct LinkConfig {
  std::uint64_t up_bps = 0;
  std::uint64_t down_bps = 0;
  Duration latency{0};  // one way, added to every byte in each direction
  double loss = 0;      // the fraction of outgoing datagrams lost once they leave the uplink, 0 to 1
};

// A token bucket in bits per second. Tokens are counted in bytes and may not exceed the burst, so over
// any long interval the bytes let through approach rate/8 per second.
class TokenBucket {
 public:
  explicit TokenBucket(std::uint64_t rate_bps, TimePoint now);
  bool unlimited() const { return rate_bytes_per_s_ == 0; }
  // When `bytes` may pass, given the tokens now; `now` itself if they may pass at once.
  TimePoint ready_at(std::size_t bytes, TimePoint now);
  void take(std::size_t bytes, TimePoint now);

 private:
  void refill(TimePoint now);

  double rate_bytes_per_s_;
  double burst_bytes_;
  double tokens_;
  TimePoint last_;
};

// One direction of a link: bytes queue for tokens (the link's serialisation), then wait out the latency
// (propagation). A single FIFO per direction, as on a real access link: a bulk transfer delays everything
// behind it. SimNet and the real Transport both use it, so a lab behaves the same in either.
class ShapedQueue {
 public:
  // A piece of one connection's stream. `end_of_stream` marks a close travelling behind the data (SimNet).
  // A datagram is one whole segment on kDatagramConn, and `peer` is where it goes (uplink) or where it came
  // from (downlink).
  struct Segment {
    ConnId conn;
    Bytes bytes;
    bool end_of_stream = false;
    Endpoint peer{};
  };
  // Bytes are cut into segments of at most this size when a cap is set, so one big send cannot hog the
  // bucket.
  static constexpr std::size_t kSegmentBytes = 16 * 1024;

  ShapedQueue(std::uint64_t rate_bps, Duration latency, TimePoint now);

  // True if this direction neither caps nor delays: callers may bypass the queue when it is also empty.
  bool passthrough() const { return bucket_.unlimited() && latency_ == Duration{0}; }
  bool empty() const { return waiting_.empty() && in_flight_.empty(); }

  // Changes the cap and latency from now on (a launcher "rate" command); queued bytes stay queued.
  void reconfigure(std::uint64_t rate_bps, Duration latency, TimePoint now);

  void push(ConnId conn, Bytes bytes, TimePoint now);
  void push_end_of_stream(ConnId conn, TimePoint now);
  // Queues one datagram on kDatagramConn, never cut: it takes its tokens at once, and a datagram larger than
  // the bucket's burst leaves the bucket in debt for the segments behind it.
  void push_datagram(Endpoint peer, Bytes bytes, TimePoint now);
  // Hands every segment whose time has come to `deliver`, in order.
  void release(TimePoint now, const std::function<void(Segment&&)>& deliver);
  // When release() next has something to do, if anything is queued.
  std::optional<TimePoint> next_event() const;
  // Drops what is still queued for a connection that is gone.
  void drop(ConnId conn);

  std::size_t queued_bytes(ConnId conn) const;
  std::size_t queued_bytes() const { return total_queued_; }
  // Everything that has passed through, for rate figures.
  std::uint64_t bytes_released() const { return bytes_released_; }

 private:
  struct Timed {
    TimePoint due;  // when the segment may go on (waiting: queued at; in flight: arrives)
    Segment segment;
  };
  void add(Segment segment, TimePoint now);
  void schedule_head(TimePoint earliest);
  void account(ConnId conn, std::ptrdiff_t delta);
  using ConnCount = std::pair<ConnId, std::size_t>;
  std::vector<ConnCount>::iterator find_count(ConnId conn);
  std::vector<ConnCount>::const_iterator find_count(ConnId conn) const;
  void forget_count(std::vector<ConnCount>::iterator it);

  TokenBucket bucket_;
  Duration latency_;
  std::deque<Timed> waiting_;  // for tokens
  std::optional<TimePoint> head_ready_;
  std::deque<Timed> in_flight_;  // for the latency to pass; due times only grow
  // The bytes each connection has queued, for the connections that have any. A flat list searched in order:
  // it holds the few connections whose bytes are on the link right now, and, unlike a hash map, allocates
  // nothing as a connection's count rises from zero and falls back (once per segment).
  std::vector<ConnCount> queued_by_conn_;
  std::size_t total_queued_ = 0;
  std::uint64_t bytes_released_ = 0;
};

}  // namespace p2p
