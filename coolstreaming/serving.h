// Serving: which requested segments a node sends now, within its upload.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "common/util/time.h"
#include "coolstreaming/segment_store.h"

namespace p2p::coolstreaming {

struct ServePlan {
  std::vector<SegmentId> send;         // in the order asked
  std::vector<SegmentId> unavailable;  // answered with SegmentUnavailable, so the partner asks elsewhere
  std::size_t duplicates = 0;          // asked for again too soon after it was sent: dropped, unanswered
};

// How many of the segments sent to one partner are remembered: one window's worth, the newest.
inline constexpr std::size_t kRememberedSentSegments = kMaxWindowSegments;

// When each segment was last sent to one partner, and how soon it may be asked for again: a request repeated
// sooner is a duplicate. An honest partner asks again only once its own request timed out (seconds), so one
// scheduling period is well inside what it needs; a hostile partner asking for one segment again and again
// would otherwise have 64 KiB sent for each 14-byte request and spend the whole uplink on it.
struct RepeatCheck {
  std::map<SegmentId, TimePoint>& sent;  // kept to the newest kRememberedSentSegments
  TimePoint now;
  Duration min_interval;
};

// A node sends the asked segments it holds while the bytes queued on its uplink stay within `budget`
// (about one scheduling period of its upload), so a segment it accepts leaves in time for the requester's
// deadline; the rest, and every segment of a node that does not upload, are unavailable (PROTOCOL.md,
// "SegmentUnavailable").
// What `upload_kbps` sends in one `period`: the serving budget.
std::size_t upload_budget(std::uint32_t upload_kbps, Duration period);

// With `repeats`, a segment sent to the partner less than min_interval ago is dropped and counted, and the
// segments planned for sending are recorded.
ServePlan plan_serving(const SegmentStore& store, std::span<const SegmentId> asked, bool uploading,
                       std::size_t queued, std::size_t budget,
                       std::optional<RepeatCheck> repeats = std::nullopt);

}  // namespace p2p::coolstreaming
