// Player: buffering until the start-up amount is held, then one segment per segment length, misses skipped.
#include "coolstreaming/player.h"

#include <algorithm>
#include <cassert>

namespace p2p::coolstreaming {

Player::Player(PlayerConfig config, SegmentId first, TimePoint joined)
    : config_(config), first_(first), joined_(joined), play_point_(first) {
  assert(config_.segment > Duration::zero());
}

bool Player::start_up_buffered(const BufferMap& buffer) const {
  // The start-up amount in whole segments, at least one: a 2.5 s start-up of 1 s segments needs 3.
  const auto needed =
      std::max<Duration::rep>(1, (config_.startup + config_.segment - Duration(1)) / config_.segment);
  for (Duration::rep i = 0; i < needed; ++i) {
    if (!buffer.has(first_ + static_cast<SegmentId>(i))) return false;
  }
  return true;
}

Playback Player::advance(const BufferMap& buffer, TimePoint now) {
  Playback out;
  if (!clock_) {
    if (!start_up_buffered(buffer)) return out;
    clock_ = PlaybackClock{.origin = now, .first = first_, .segment = config_.segment};
  }
  while (clock_->due(play_point_) <= now) {
    if (buffer.has(play_point_)) {
      out.played.push_back(play_point_);
      ++on_time_;
    } else {
      out.missed.push_back(play_point_);
      ++missed_;
    }
    ++play_point_;
  }
  return out;
}

Duration Player::buffered_ahead(const BufferMap& buffer) const {
  Duration::rep held = 0;
  while (buffer.has(play_point_ + static_cast<SegmentId>(held))) ++held;
  return held * config_.segment;
}

std::optional<TimePoint> Player::next_due() const {
  if (!clock_) return std::nullopt;
  return clock_->due(play_point_);
}

PlaybackClock Player::clock(TimePoint now) const {
  if (clock_) return *clock_;
  return PlaybackClock{.origin = now + config_.startup, .first = first_, .segment = config_.segment};
}

std::optional<double> Player::continuity() const {
  if (due_count() == 0) return std::nullopt;
  return static_cast<double>(on_time_) / static_cast<double>(due_count());
}

std::optional<Duration> Player::startup_delay() const {
  if (!clock_) return std::nullopt;
  return clock_->origin - joined_;
}

std::optional<Duration> Player::lag(SegmentId source_newest) const {
  if (!clock_ || play_point_ == first_) return std::nullopt;
  const SegmentId last_due = play_point_ - 1;  // played or skipped, the play point has passed it
  if (source_newest <= last_due) return Duration::zero();
  return static_cast<Duration::rep>(source_newest - last_due) * config_.segment;
}

}  // namespace p2p::coolstreaming
