// Scheduler: DONet's deadline-aware rarest-first assignment, and the random and sequential baselines.
#include "coolstreaming/scheduler.h"

#include <algorithm>
#include <cassert>

namespace p2p::coolstreaming {
namespace {

// A missing segment this period, with the partners whose buffer maps hold it.
struct Candidate {
  SegmentId segment = 0;
  TimePoint due{};
  std::vector<std::size_t> holders;  // indexes into the suppliers, in their order
  bool requested = false;
};

std::vector<Candidate> find_candidates(const BufferMap& own, std::span<const SegmentId> pending,
                                       std::span<const Supplier> suppliers, const PlaybackClock& clock,
                                       TimePoint now) {
  std::vector<SegmentId> asked(pending.begin(), pending.end());
  std::ranges::sort(asked);
  std::vector<Candidate> out;
  for (SegmentId segment : own.missing(own.start(), own.last())) {
    // Due already: the player has skipped it or is skipping it now, so nothing can arrive in time.
    const TimePoint due = clock.due(segment);
    if (due <= now || std::ranges::binary_search(asked, segment)) continue;
    Candidate candidate{.segment = segment, .due = due, .holders = {}, .requested = false};
    for (std::size_t i = 0; i < suppliers.size(); ++i) {
      assert(suppliers[i].buffer != nullptr);
      if (suppliers[i].buffer->has(segment)) candidate.holders.push_back(i);
    }
    out.push_back(std::move(candidate));
  }
  return out;
}

void request(Candidate& candidate, const Supplier& supplier, Schedule& out) {
  candidate.requested = true;
  out.requests.push_back(SegmentRequest{.partner = supplier.id, .segment = candidate.segment});
}

// DONet: rarest first, each from the fastest supplier that can deliver before the deadline.
void plan_donet(std::vector<Candidate>& candidates, std::span<const Supplier> suppliers, TimePoint now,
                Schedule& out) {
  // Seconds from now until each supplier is free to send us one more segment, and how long one takes. In
  // seconds rather than Durations, so a supplier with a tiny rate is merely late, never an overflow.
  std::vector<double> available(suppliers.size());
  for (std::size_t i = 0; i < suppliers.size(); ++i) {
    const double rate = suppliers[i].segments_per_second;
    if (rate > 0) available[i] = static_cast<double>(suppliers[i].outstanding) / rate;
  }
  auto per_segment = [&](std::size_t i) { return 1.0 / suppliers[i].segments_per_second; };
  auto in_time = [&](std::size_t i, TimePoint due) {
    return suppliers[i].segments_per_second > 0 && available[i] + per_segment(i) <= to_seconds(due - now);
  };

  std::vector<Candidate*> order;
  order.reserve(candidates.size());
  for (Candidate& candidate : candidates) order.push_back(&candidate);
  std::ranges::stable_sort(order, [](const Candidate* a, const Candidate* b) {
    return a->holders.size() < b->holders.size();  // candidates are in segment order already
  });
  for (Candidate* candidate : order) {
    const std::size_t none = suppliers.size();
    std::size_t best = none;
    for (std::size_t i : candidate->holders) {
      if (!in_time(i, candidate->due)) continue;
      if (best == none || suppliers[i].segments_per_second > suppliers[best].segments_per_second) best = i;
    }
    if (best == none) continue;
    available[best] += per_segment(best);
    request(*candidate, suppliers[best], out);
  }
}

void plan_random(std::vector<Candidate>& candidates, std::span<const Supplier> suppliers, Rng& rng,
                 Schedule& out) {
  for (Candidate& candidate : candidates) {
    if (!candidate.holders.empty()) request(candidate, suppliers[rng.pick(candidate.holders)], out);
  }
}

void plan_sequential(std::vector<Candidate>& candidates, std::span<const Supplier> suppliers, Schedule& out) {
  for (Candidate& candidate : candidates) {
    if (!candidate.holders.empty()) request(candidate, suppliers[candidate.holders.front()], out);
  }
}

}  // namespace

Schedule Scheduler::plan(const BufferMap& own, std::span<const SegmentId> pending,
                         std::span<const Supplier> suppliers, const PlaybackClock& clock, TimePoint now,
                         Rng& rng) const {
  std::vector<Candidate> candidates = find_candidates(own, pending, suppliers, clock, now);
  Schedule out;
  switch (config_.kind) {
    case SchedulerKind::Donet:
      plan_donet(candidates, suppliers, now, out);
      break;
    case SchedulerKind::Random:
      plan_random(candidates, suppliers, rng, out);
      break;
    case SchedulerKind::Sequential:
      plan_sequential(candidates, suppliers, out);
      break;
  }
  for (const Candidate& candidate : candidates) {
    if (!candidate.requested && candidate.due <= now + config_.urgent_horizon) {
      out.urgent.push_back(candidate.segment);
    }
  }
  return out;
}

}  // namespace p2p::coolstreaming
