// JoinGate: a fixed window of `capacity` joins, refused beyond.
#include "coolstreaming/join_gate.h"

namespace p2p::coolstreaming {

bool JoinGate::admit(TimePoint now) {
  if (!started_ || now - interval_start_ >= config_.interval) {
    started_ = true;
    interval_start_ = now;
    admitted_ = 0;
  }
  if (admitted_ >= config_.capacity) {
    ++refused_;
    return false;
  }
  ++admitted_;
  return true;
}

std::uint32_t JoinGate::retry_after_ms() const {
  return static_cast<std::uint32_t>(std::chrono::duration_cast<milliseconds>(config_.retry_after).count());
}

}  // namespace p2p::coolstreaming
