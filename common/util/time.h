// Time as cores see it: a duration since an epoch chosen by whoever drives them (the Reactor or SimNet).
#pragma once

#include <chrono>
#include <cstdint>

namespace p2p {

// A clock that cannot be read. Cores hold TimePoints but only the host may say what "now" is, so
// the same core code runs on wall time in a process and on virtual time in SimNet.
struct HostClock {
  using duration = std::chrono::nanoseconds;
  using rep = duration::rep;
  using period = duration::period;
  using time_point = std::chrono::time_point<HostClock, duration>;
  static constexpr bool is_steady = true;
};

using Duration = HostClock::duration;
using TimePoint = HostClock::time_point;

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;
using namespace std::chrono_literals;

inline double to_seconds(Duration d) {
  return std::chrono::duration<double>(d).count();
}
inline double to_millis(Duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}
inline double seconds_since_epoch(TimePoint t) {
  return to_seconds(t.time_since_epoch());
}
inline Duration from_seconds(double s) {
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s));
}

}  // namespace p2p
