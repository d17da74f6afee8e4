// A percentile by nearest rank, as the CoolStreaming summary and its benchmark report the worst tenth.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <vector>

namespace p2p {

// The value at rank ceil(p n), 1-based, of the sorted values (p in [0, 1]); none for an empty sample.
inline std::optional<double> percentile(std::vector<double> values, double p) {
  if (values.empty()) return std::nullopt;
  std::ranges::sort(values);
  auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

}  // namespace p2p
