// Player: start-up buffering, playback on the stream's clock, and the figures it yields (continuity,
// start-up delay, lag behind the source).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/util/time.h"
#include "coolstreaming/buffer_map.h"
#include "coolstreaming/playback_clock.h"

namespace p2p::coolstreaming {

struct PlayerConfig {
  // How much of the stream to hold, from the first segment on and without a gap, before playing.
  Duration startup = std::chrono::seconds(10);
  Duration segment = std::chrono::seconds(1);  // DONet's segment length (section 3.B)
};

// What one call to Player::advance() played and skipped, in segment order.
struct Playback {
  std::vector<SegmentId> played;  // held at their deadline: the app writes their bytes (--play-to)
  std::vector<SegmentId> missed;  // not held at their deadline: skipped, never played late
};

// Plays a peer's stream the way DONet measures it (Zhang et al., INFOCOM 2005): the peer buffers
// `startup` worth of consecutive segments from its first, then plays one segment every segment length on
// the stream's clock, whatever arrives. A segment not in the buffer when it falls due is a miss and is
// skipped. The continuity index, DONet's figure of merit, is the share of due segments that were there on
// time; the start-up delay runs from joining to the first segment played; the lag is how far the play point
// trails the source's newest segment. The buffer is the peer's BufferMap, read but never changed here; time
// is passed in.
class Player {
 public:
  // `first`: the segment playback starts from (the peer picks it from its partners' buffer maps);
  // `joined`: when the peer joined, where the start-up delay starts.
  Player(PlayerConfig config, SegmentId first, TimePoint joined);

  // Starts playing once the buffer holds the start-up amount, then plays or skips every segment due by
  // `now`. Call it when a segment arrives while buffering, and at next_due() while playing.
  Playback advance(const BufferMap& buffer, TimePoint now);

  bool playing() const { return clock_.has_value(); }
  // The next segment to play (or, while buffering, the first).
  SegmentId play_point() const { return play_point_; }
  // When the next segment falls due; none while buffering.
  std::optional<TimePoint> next_due() const;
  // The deadlines the scheduler plans against. While buffering, playback is projected to start one
  // start-up from now, so the first segments are always wanted soon but never already late.
  PlaybackClock clock(TimePoint now) const;

  // How much stream the buffer holds from the play point on without a gap: what the peer could play if
  // nothing more arrived. The hybrid rules read it (seed 001, Spotify: fetch from the server when it runs
  // low, stop uploading when it runs very low); the telemetry shows it.
  Duration buffered_ahead(const BufferMap& buffer) const;

  std::uint64_t due_count() const { return on_time_ + missed_; }
  std::uint64_t on_time_count() const { return on_time_; }
  std::uint64_t missed_count() const { return missed_; }
  // On time / due (DONet's continuity index); none before any segment fell due.
  std::optional<double> continuity() const;
  std::optional<Duration> startup_delay() const;
  // How far the play point (the last segment due) trails the source's newest segment, in stream time; none
  // before the first segment falls due.
  std::optional<Duration> lag(SegmentId source_newest) const;

 private:
  bool start_up_buffered(const BufferMap& buffer) const;

  PlayerConfig config_;
  SegmentId first_;
  TimePoint joined_;
  std::optional<PlaybackClock> clock_;  // set when playback starts
  SegmentId play_point_;
  std::uint64_t on_time_ = 0;
  std::uint64_t missed_ = 0;
};

}  // namespace p2p::coolstreaming
