// JoinGate: how many newcomers the rendezvous or a deputy takes per second, and the refusal beyond that.
#pragma once

#include <cstdint>

#include "common/util/time.h"

namespace p2p::coolstreaming {

struct JoinGateConfig {
  // Joins handled per `interval`; more are refused. A deputy answers each newcomer with candidates and
  // subscribes it, which costs it work and upload; in a flash crowd the rendezvous is the bottleneck (seed
  // 000: over 25 % of CoolStreaming's newcomers had to retry their join).
  std::uint32_t capacity = 20;
  Duration interval = std::chrono::seconds(1);
  // What a refusal tells the newcomer to wait before it tries again.
  Duration retry_after = std::chrono::seconds(2);
};

// Admits at most `capacity` joins in each interval, counting intervals from the first join seen. Time is
// passed in.
class JoinGate {
 public:
  explicit JoinGate(JoinGateConfig config = {}) : config_(config) {}

  // True if this join is taken; false if it must be refused (and counted).
  bool admit(TimePoint now);
  std::uint32_t retry_after_ms() const;
  std::uint64_t refused() const { return refused_; }

 private:
  JoinGateConfig config_;
  TimePoint interval_start_{};
  std::uint32_t admitted_ = 0;
  bool started_ = false;
  std::uint64_t refused_ = 0;
};

}  // namespace p2p::coolstreaming
