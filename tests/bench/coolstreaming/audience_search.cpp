// Step, then bisect: see audience_search.h.
#include "tests/bench/coolstreaming/audience_search.h"

#include <algorithm>

namespace p2p::bench {

SearchResult search_audience(std::vector<std::size_t> sizes, int bisect_steps,
                             const std::function<Verdict(std::size_t)>& measure) {
  std::ranges::sort(sizes);
  SearchResult result;
  // Returns false when the search must end.
  auto record = [&](std::size_t size) {
    switch (measure(size)) {
      case Verdict::Held:
        result.largest_held = size;
        return true;
      case Verdict::Missed:
        result.first_missed = size;
        return true;
      case Verdict::Stopped:
        result.stopped = true;
        return false;
    }
    return false;
  };
  for (std::size_t size : sizes) {
    if (!record(size)) return result;
    if (result.first_missed != 0) break;
  }
  for (int step = 0; step < bisect_steps && result.first_missed != 0; ++step) {
    const std::size_t middle = (result.largest_held + result.first_missed + 5) / 10 * 5;
    if (middle <= result.largest_held || middle >= result.first_missed) break;
    if (!record(middle)) return result;
  }
  return result;
}

}  // namespace p2p::bench
