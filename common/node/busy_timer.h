// A periodic timer that runs only while its owner has work to do, so an idle node costs no wake-ups.
// Uploads use it to top up their sends, downloads to look for stalled transfers.
#pragma once

#include <functional>
#include <utility>

#include "common/node/core.h"

namespace p2p {

class BusyTimer {
 public:
  BusyTimer(Runtime& runtime, Duration period, std::function<void()> tick)
      : runtime_(runtime), period_(period), tick_(std::move(tick)) {}
  ~BusyTimer() { set_busy(false); }
  BusyTimer(const BusyTimer&) = delete;
  BusyTimer& operator=(const BusyTimer&) = delete;

  // Starts ticking every period when `busy` turns true, and stops when it turns false.
  void set_busy(bool busy) {
    if (!busy && timer_ != TimerId{}) {
      runtime_.cancel(timer_);
      timer_ = TimerId{};
    } else if (busy && timer_ == TimerId{}) {
      timer_ = runtime_.every(period_, [this] { tick_(); });
    }
  }

 private:
  Runtime& runtime_;
  Duration period_;
  std::function<void()> tick_;
  TimerId timer_;
};

}  // namespace p2p
