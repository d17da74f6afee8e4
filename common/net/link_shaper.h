// LinkShaper: a node's emulated access link (upload and download caps as token buckets, plus one-way
// latency).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
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
// (propagation). The connections share the tokens fairly, as under fq_codel (RFC 8290), the default queue
// discipline of current Linux: start-time fair queueing (Goyal, Vin and Cheng, SIGCOMM 1996) gives each
// segment a tag from its connection's bytes before it, and the lowest tag leaves first. A connection's own
// bytes keep their order, but a short message (a request, a have) no longer waits behind seconds of another
// connection's bulk data, and a connection with little queued gets its share at once instead of in
// proportion to its bytes in the queue. SimNet and the real Transport both use it, so a lab behaves the same
// in either.
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
  // A connection on the link: its bytes waiting or in flight, and the fair-queueing tag its next segment
  // starts from if that is ahead of the virtual time.
  struct Flow {
    ConnId conn;
    std::size_t bytes = 0;
    std::uint64_t finish = 0;
  };
  // The waiting line's order: the start tag, then the order of arrival.
  using Tag = std::pair<std::uint64_t, std::uint64_t>;
  void add(Segment segment, TimePoint now);
  void schedule_head(TimePoint earliest);
  std::vector<Flow>::iterator find_flow(ConnId conn);
  std::vector<Flow>::const_iterator find_flow(ConnId conn) const;
  void forget_if_done(std::vector<Flow>::iterator flow);
  void forget(std::vector<Flow>::iterator flow);
  void advance_virtual_time(std::uint64_t start_tag);

  TokenBucket bucket_;
  Duration latency_;
  std::map<Tag, Timed> waiting_;  // for tokens, lowest tag first
  std::uint64_t arrivals_ = 0;
  std::uint64_t virtual_bytes_ = 0;  // SFQ's virtual time: see advance_virtual_time()
  std::optional<TimePoint> head_ready_;
  std::deque<Timed> in_flight_;  // for the latency to pass; due times only grow
  // The connections with bytes waiting or in flight, and those whose finish tag the virtual time has not
  // yet passed. A flat list searched in order: it holds the few connections busy on the link right now, and,
  // unlike a hash map, allocates nothing as a connection comes and goes (once per segment).
  std::vector<Flow> flows_;
  std::size_t total_queued_ = 0;
  std::uint64_t bytes_released_ = 0;
};

}  // namespace p2p
