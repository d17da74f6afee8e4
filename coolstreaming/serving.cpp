// Serving: held segments first come, first served, until the uplink budget is spent.
#include "coolstreaming/serving.h"

namespace p2p::coolstreaming {

std::size_t upload_budget(std::uint32_t upload_kbps, Duration period) {
  return static_cast<std::size_t>(upload_kbps * 125.0 * to_seconds(period));
}

ServePlan plan_serving(const SegmentStore& store, std::span<const SegmentId> asked, bool uploading,
                       std::size_t queued, std::size_t budget, std::optional<RepeatCheck> repeats) {
  ServePlan plan;
  for (SegmentId segment : asked) {
    if (repeats) {
      auto last = repeats->sent.find(segment);
      if (last != repeats->sent.end() && repeats->now - last->second < repeats->min_interval) {
        ++plan.duplicates;
        continue;
      }
    }
    const Bytes* payload = uploading ? store.payload(segment) : nullptr;
    if (payload == nullptr || queued >= budget) {
      plan.unavailable.push_back(segment);
      continue;
    }
    queued += payload->size();
    plan.send.push_back(segment);
    if (!repeats) continue;
    repeats->sent[segment] = repeats->now;
    if (repeats->sent.size() > kRememberedSentSegments) repeats->sent.erase(repeats->sent.begin());
  }
  return plan;
}

}  // namespace p2p::coolstreaming
