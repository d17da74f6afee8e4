// The search bench-coolstreaming runs on both halves: the largest audience that keeps its continuity, found
// by trying sizes in increasing order, then halving the gap between the last that held and the first that
// missed a bounded number of times.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

namespace p2p::bench {

enum class Verdict {
  Held,
  Missed,
  Stopped,  // interrupted, failed, or past what the machine can hold: the search ends here
};

struct SearchResult {
  std::size_t largest_held = 0;  // 0: no size tried held
  std::size_t first_missed = 0;  // the smallest size tried that missed; 0: none did
  bool stopped = false;
};

// Measures `sizes` in order until one misses, then bisects between it and the last that held at most
// `bisect_steps` times, on multiples of 5. Every size is measured once, by `measure`.
SearchResult search_audience(std::vector<std::size_t> sizes, int bisect_steps,
                             const std::function<Verdict(std::size_t)>& measure);

}  // namespace p2p::bench
