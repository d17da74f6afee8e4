// Exponential backoff with jitter: how long a peer waits before each new attempt to log in to the server.
#pragma once

#include "common/util/random.h"
#include "common/util/time.h"

namespace p2p::napster {

struct BackoffConfig {
  Duration initial = seconds(1);
  Duration max = seconds(30);
  // Each delay is spread uniformly over +/- this fraction, so peers cut off together do not all return in the
  // same instant and flood a restarted server (the "thundering herd").
  double jitter = 0.2;
};

// Decides the wait before the next retry: initial, then doubling up to max, each spread by the jitter.
// reset() after a success starts the schedule over.
class Backoff {
 public:
  explicit Backoff(BackoffConfig config = {}) : config_(config) {}

  Duration next(Rng& rng);
  void reset() { attempts_ = 0; }
  int attempts() const { return attempts_; }

 private:
  BackoffConfig config_;
  int attempts_ = 0;
};

}  // namespace p2p::napster
