// The uploads' budget on the node's uplink.
#include "common/transfer/uplink_pacer.h"

#include <algorithm>

namespace p2p::transfer {

std::size_t UplinkPacer::budget(std::size_t queued, TimePoint now) {
  if (now - last_budget_ >= config_.queue_time) {
    // No top-up for a whole interval (no upload ran): what the pacer knew of the link is stale.
    carried_ = carried_last_ = 0;
    level_ = queued;
    interval_start_ = now;
  } else if (now - interval_start_ >= config_.queue_time) {
    carried_last_ = carried_;
    carried_ = 0;
    interval_start_ = now;
  }
  last_budget_ = now;
  // What left the queue since the last top-up; an upload that ended takes its bytes with it, hence the clamp.
  carried_ += level_ > queued ? level_ - queued : 0;
  level_ = queued;
  std::size_t goal = target();
  return goal > queued ? goal - queued : 0;
}

std::size_t UplinkPacer::target() const {
  return std::clamp(std::max(carried_, carried_last_), config_.min_queued, config_.max_queued);
}

}  // namespace p2p::transfer
