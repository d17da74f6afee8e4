// How many upload bytes a node keeps queued on its own uplink: enough to fill the link, few enough that a
// protocol message (a search to Napster's index server) is never stuck behind a whole file.
#pragma once

#include <cstddef>

#include "common/util/time.h"

namespace p2p::transfer {

struct PacerConfig {
  // Never less than two transfer chunks (one crossing the link, one waiting), so even a slow link never idles
  // between top-ups; on a 256 kbit/s ADSL uplink that is about a second of traffic.
  std::size_t min_queued = 32 * 1024;
  std::size_t max_queued = 4 << 20;
  // How much of the link's recent traffic to keep queued. It must exceed the link's one-way latency plus the
  // uploader's top-up period, or a window-limited upload could not grow its window (see UplinkPacer).
  Duration queue_time = milliseconds(100);
};

// Decides the uploads' shared budget on the node's uplink (the Runtime's queued_bytes(), which counts bytes
// handed to send() that have not yet left the shaped link). The link shares its rate fairly between
// connections (ShapedQueue, common/net/link_shaper.h), so a search on another connection waits for about one
// segment of each busy upload; but whatever an upload has queued, its own connection's next message waits
// behind. A fixed window topped up on a timer either idles a fast link or, made large, keeps seconds of file
// data queued on a slow one. So the target follows the link: about `queue_time` worth of what the link
// actually carried recently, within [min_queued, max_queued]. An upload limited by its window carries more
// each interval than the last (the window it had, every top-up period), so the target grows until the link,
// not the window, is the limit: link speed whatever the cap, like a TCP sender growing its window. Pure: the
// caller reads the queue and the clock.
class UplinkPacer {
 public:
  explicit UplinkPacer(PacerConfig config = {}) : config_(config) {}

  // At a top-up: `queued` is what the uploads still have on the uplink. Returns how many more bytes to queue.
  std::size_t budget(std::size_t queued, TimePoint now);
  // The top-up handed `bytes` to send(). Counted as queued even if an unshaped runtime passed them on at
  // once, so the next budget() sees them as carried.
  void sent(std::size_t bytes) { level_ += bytes; }

  std::size_t target() const;

 private:
  PacerConfig config_;
  std::size_t level_ = 0;  // queued after the last top-up, as far as the pacer knows
  TimePoint last_budget_{};
  TimePoint interval_start_{};    // the carried-bytes measure runs over intervals of queue_time
  std::size_t carried_ = 0;       // bytes the link took in the current interval
  std::size_t carried_last_ = 0;  // ... and in the one before
};

}  // namespace p2p::transfer
