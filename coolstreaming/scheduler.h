// Scheduler: which missing segment to request from which partner, each scheduling period.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "common/net/endpoint.h"
#include "common/util/random.h"
#include "common/util/time.h"
#include "coolstreaming/buffer_map.h"
#include "coolstreaming/playback_clock.h"

namespace p2p::coolstreaming {

enum class SchedulerKind {
  Donet,   // deadline-aware rarest first, each from the fastest supplier still in time (DONet, section 3.C)
  Random,  // a random supplier for each missing segment: the baseline without rarity or bandwidth
  Sequential,  // in segment order, the first partner that has it: a naive player's order
};

struct SchedulerConfig {
  SchedulerKind kind = SchedulerKind::Donet;
  // A missing segment due within this horizon that no partner is asked for is urgent: the next period
  // would be too late for it. The hybrid assist fetches urgent segments from the server (seed 001: Spotify
  // asks the server when a piece is needed soon and no peer can deliver it). Two periods of one second.
  Duration urgent_horizon = std::chrono::seconds(2);
};

// One partner as a supplier at this period: its last buffer map and the upload it has to spare for us.
struct Supplier {
  Endpoint id;
  const BufferMap* buffer = nullptr;
  double segments_per_second = 0;  // estimated spare bandwidth toward us; 0: it delivers nothing
  std::size_t outstanding = 0;     // segments already asked of it that have not arrived
};

struct SegmentRequest {
  Endpoint partner;
  SegmentId segment = 0;

  friend bool operator==(const SegmentRequest&, const SegmentRequest&) = default;
};

struct Schedule {
  std::vector<SegmentRequest> requests;  // in the order they were decided
  std::vector<SegmentId> urgent;         // ascending: due within the horizon and asked of no partner
};

// Decides, each scheduling period, which of the missing segments of our window to request and from whom
// (DONet, Zhang et al., INFOCOM 2005, section 3.C, "scheduling algorithm"). A segment is a candidate when it
// is missing, not already requested, and not yet due. With the Donet kind:
//   - a candidate is requested only from a supplier that can still deliver it before its deadline: the
//     supplier is free at now + outstanding / rate, and one more segment takes 1 / rate;
//   - candidates with the fewest suppliers go first, since they are the hardest to get in time (the paper
//     schedules the segments with one potential supplier, then two, and so on), ties in segment order;
//   - each goes to the supplier with the highest bandwidth among those in time, whose available time then
//     moves on by one segment, so later segments see it busier.
// Random and Sequential ignore deadlines and bandwidth; they show what the DONet order buys. Time and
// randomness are passed in; the scheduler remembers nothing between periods.
class Scheduler {
 public:
  explicit Scheduler(SchedulerConfig config = {}) : config_(config) {}

  // `pending`: segments requested earlier that have not arrived yet; they are not requested again.
  Schedule plan(const BufferMap& own, std::span<const SegmentId> pending, std::span<const Supplier> suppliers,
                const PlaybackClock& clock, TimePoint now, Rng& rng) const;

 private:
  SchedulerConfig config_;
};

}  // namespace p2p::coolstreaming
