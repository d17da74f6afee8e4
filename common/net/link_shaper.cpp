// Token buckets and shaped queues.
#include "common/net/link_shaper.h"

#include <algorithm>
#include <cassert>

#include "common/net/datagram.h"

namespace p2p {
namespace {

// The bucket holds 10 ms of traffic, but never less than one segment, or a segment could never pass.
constexpr double kBurstSeconds = 0.010;

}  // namespace

TokenBucket::TokenBucket(std::uint64_t rate_bps, TimePoint now)
    : rate_bytes_per_s_(static_cast<double>(rate_bps) / 8.0),
      burst_bytes_(
          std::max(rate_bytes_per_s_ * kBurstSeconds, static_cast<double>(ShapedQueue::kSegmentBytes))),
      tokens_(burst_bytes_),
      last_(now) {}

void TokenBucket::refill(TimePoint now) {
  if (now <= last_) return;
  tokens_ = std::min(burst_bytes_, tokens_ + rate_bytes_per_s_ * to_seconds(now - last_));
  last_ = now;
}

TimePoint TokenBucket::ready_at(std::size_t bytes, TimePoint now) {
  if (unlimited()) return now;
  refill(now);
  double missing = static_cast<double>(bytes) - tokens_;
  if (missing <= 0) return now;
  return now + std::chrono::ceil<Duration>(std::chrono::duration<double>(missing / rate_bytes_per_s_));
}

void TokenBucket::take(std::size_t bytes, TimePoint now) {
  if (unlimited()) return;
  refill(now);
  tokens_ -= static_cast<double>(bytes);
}

ShapedQueue::ShapedQueue(std::uint64_t rate_bps, Duration latency, TimePoint now)
    : bucket_(rate_bps, now), latency_(latency) {}

void ShapedQueue::reconfigure(std::uint64_t rate_bps, Duration latency, TimePoint now) {
  bucket_ = TokenBucket(rate_bps, now);
  latency_ = latency;
  head_ready_.reset();
  schedule_head(now);
}

void ShapedQueue::push(ConnId conn, Bytes bytes, TimePoint now) {
  if (bucket_.unlimited() || bytes.size() <= kSegmentBytes) {
    add(Segment{conn, std::move(bytes)}, now);
  } else {
    for (std::size_t at = 0; at < bytes.size(); at += kSegmentBytes) {
      std::size_t n = std::min(kSegmentBytes, bytes.size() - at);
      add(Segment{conn, Bytes(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                              bytes.begin() + static_cast<std::ptrdiff_t>(at + n))},
          now);
    }
  }
}

void ShapedQueue::push_end_of_stream(ConnId conn, TimePoint now) {
  add(Segment{conn, {}, true}, now);
}

void ShapedQueue::push_datagram(Endpoint peer, Bytes bytes, TimePoint now) {
  add(Segment{kDatagramConn, std::move(bytes), false, std::move(peer)}, now);
}

// Start-time fair queueing: a segment's start tag is where its connection's previous segment finished, or the
// start tag of the segment that left last if that is later (the connection was idle, or behind); its finish
// tag adds its size. The lowest start tag leaves first, so each connection with bytes waiting gets an equal
// share of the tokens, and one that just arrived goes ahead of the bytes queued long before it.
void ShapedQueue::add(Segment segment, TimePoint now) {
  auto flow = find_flow(segment.conn);
  if (flow == flows_.end()) flow = flows_.insert(flow, Flow{segment.conn, 0, 0});
  std::uint64_t start = std::max(virtual_bytes_, flow->finish);
  flow->finish = start + segment.bytes.size();
  total_queued_ += segment.bytes.size();
  flow->bytes += segment.bytes.size();
  forget_if_done(flow);
  Tag tag{start, arrivals_++};
  bool new_head = waiting_.empty() || tag < waiting_.begin()->first;
  waiting_.emplace(tag, Timed{now, std::move(segment)});
  if (new_head) {
    head_ready_.reset();
    schedule_head(now);
  }
}

// The head of the waiting line may leave once it was queued, the segment before it has left, and tokens
// allow.
void ShapedQueue::schedule_head(TimePoint earliest) {
  if (waiting_.empty()) return;
  const Timed& head = waiting_.begin()->second;
  head_ready_ = bucket_.ready_at(head.segment.bytes.size(), std::max(earliest, head.due));
}

std::vector<ShapedQueue::Flow>::iterator ShapedQueue::find_flow(ConnId conn) {
  return std::ranges::find(flows_, conn, &Flow::conn);
}
std::vector<ShapedQueue::Flow>::const_iterator ShapedQueue::find_flow(ConnId conn) const {
  return std::ranges::find(flows_, conn, &Flow::conn);
}

// A flow may be forgotten once it has no bytes on the link and its finish tag is behind the others' (SFQ's
// virtual time): coming back, it would start at the virtual time anyway. Forgotten earlier, a connection
// that writes its next segment when the last has left would start each one at the virtual time again,
// which then never moves past the tag of another connection's waiting bytes: that connection would starve.
void ShapedQueue::forget_if_done(std::vector<Flow>::iterator flow) {
  if (flow->bytes == 0 && flow->finish <= virtual_bytes_) forget(flow);
}

// The order does not matter: the last entry takes the freed place.
void ShapedQueue::forget(std::vector<Flow>::iterator flow) {
  *flow = flows_.back();
  flows_.pop_back();
}

// SFQ's virtual time is the start tag of the segment in service, and at the end of a busy period the
// largest finish tag given out, so an idle link gives no connection credit over the others (Goyal, Vin and
// Cheng 1996). The flows it has passed are forgotten.
void ShapedQueue::advance_virtual_time(std::uint64_t start_tag) {
  virtual_bytes_ = start_tag;
  if (waiting_.empty()) {
    for (const Flow& flow : flows_) virtual_bytes_ = std::max(virtual_bytes_, flow.finish);
  }
  std::erase_if(flows_, [&](const Flow& flow) { return flow.bytes == 0 && flow.finish <= virtual_bytes_; });
}

void ShapedQueue::release(TimePoint now, const std::function<void(Segment&&)>& deliver) {
  // Serialisation: segments leave the bucket in order as tokens allow.
  while (head_ready_ && *head_ready_ <= now) {
    TimePoint left = *head_ready_;
    auto head = waiting_.begin();
    std::uint64_t start_tag = head->first.first;
    Segment segment = std::move(head->second.segment);
    waiting_.erase(head);
    advance_virtual_time(start_tag);
    bucket_.take(segment.bytes.size(), left);
    in_flight_.push_back({left + latency_, std::move(segment)});
    head_ready_.reset();
    schedule_head(left);
  }
  // Propagation: each segment arrives `latency` after it left.
  while (!in_flight_.empty() && in_flight_.front().due <= now) {
    Segment segment = std::move(in_flight_.front().segment);
    in_flight_.pop_front();
    // An end of stream carries no bytes, and its connection may have none left on the link.
    if (auto flow = find_flow(segment.conn); flow != flows_.end()) {
      total_queued_ -= segment.bytes.size();
      flow->bytes -= segment.bytes.size();
      forget_if_done(flow);
    }
    bytes_released_ += segment.bytes.size();
    deliver(std::move(segment));
  }
}

std::optional<TimePoint> ShapedQueue::next_event() const {
  std::optional<TimePoint> next;
  if (!in_flight_.empty()) next = in_flight_.front().due;
  if (head_ready_ && (!next || *head_ready_ < *next)) next = head_ready_;
  return next;
}

void ShapedQueue::drop(ConnId conn) {
  bool head_dropped = !waiting_.empty() && waiting_.begin()->second.segment.conn == conn;
  std::erase_if(waiting_, [&](const auto& entry) { return entry.second.segment.conn == conn; });
  std::erase_if(in_flight_, [&](const Timed& t) { return t.segment.conn == conn; });
  if (head_dropped) {
    TimePoint earliest = head_ready_.value_or(TimePoint{});
    head_ready_.reset();
    schedule_head(earliest);
  }
  if (auto it = find_flow(conn); it != flows_.end()) {
    total_queued_ -= it->bytes;
    forget(it);
  }
  if (waiting_.empty()) advance_virtual_time(virtual_bytes_);
}

std::size_t ShapedQueue::queued_bytes(ConnId conn) const {
  auto it = find_flow(conn);
  return it == flows_.end() ? 0 : it->bytes;
}

}  // namespace p2p
