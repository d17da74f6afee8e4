// The median of a sample, as the labs' summaries and the benchmarks report it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <vector>

namespace p2p {

// The middle value; the mean of the two middle values for an even count; none for an empty sample.
inline std::optional<double> median(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  std::ranges::sort(values);
  std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

}  // namespace p2p
