// JoinAttempts: a newcomer's tries at joining, with the backoff between them.
#pragma once

#include <cstdint>
#include <optional>

#include "common/util/random.h"
#include "common/util/time.h"

namespace p2p::coolstreaming {

struct JoinBackoffConfig {
  Duration first = std::chrono::seconds(1);  // the wait after the first failure
  Duration max = std::chrono::seconds(16);   // the wait never grows past this
};

// Counts the attempts (the first try is attempt 1) and spaces the retries: each failure doubles the wait,
// up to `max`, and a refusal's retry-after is a floor. A random extra of up to half the wait spreads a flash
// crowd's retries, so the refused do not all come back in the same instant. Time and randomness are passed
// in.
class JoinAttempts {
 public:
  explicit JoinAttempts(JoinBackoffConfig config = {}) : config_(config), backoff_(config.first) {}

  // A new attempt starts now.
  void begin(TimePoint now);
  // The join worked: the next failure waits the first backoff again (the attempts stay counted).
  void succeeded() { backoff_ = config_.first; }
  // How long to wait before the next attempt, after a failure or a refusal asking for `retry_after`.
  Duration next_delay(Duration retry_after, Rng& rng);

  std::uint32_t attempts() const { return attempts_; }
  std::optional<TimePoint> first_attempt() const { return first_; }

 private:
  JoinBackoffConfig config_;
  Duration backoff_;
  std::uint32_t attempts_ = 0;
  std::optional<TimePoint> first_;
};

}  // namespace p2p::coolstreaming
