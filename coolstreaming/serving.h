// Serving: which requested segments a node sends now, within its upload.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "common/util/time.h"
#include "coolstreaming/segment_store.h"

namespace p2p::coolstreaming {

struct ServePlan {
  std::vector<SegmentId> send;         // in the order asked
  std::vector<SegmentId> unavailable;  // answered with SegmentUnavailable, so the partner asks elsewhere
};

// A node sends the asked segments it holds while the bytes queued on its uplink stay within `budget`
// (about one scheduling period of its upload), so a segment it accepts leaves in time for the requester's
// deadline; the rest, and every segment of a node that does not upload, are unavailable (PROTOCOL.md,
// "SegmentUnavailable").
// What `upload_kbps` sends in one `period`: the serving budget.
std::size_t upload_budget(std::uint32_t upload_kbps, Duration period);

ServePlan plan_serving(const SegmentStore& store, std::span<const SegmentId> asked, bool uploading,
                       std::size_t queued, std::size_t budget);

}  // namespace p2p::coolstreaming
