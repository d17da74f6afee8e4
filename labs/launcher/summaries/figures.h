// Figures as summary.json writes them: a mean, a median or a percentile of nothing is null, not zero.
#pragma once

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/telemetry/fields.h"
#include "common/util/median.h"
#include "common/util/percentile.h"

namespace p2p::labs {

inline nlohmann::json mean_or_null(double sum, std::size_t count) {
  return count == 0 ? nlohmann::json(nullptr) : nlohmann::json(sum / static_cast<double>(count));
}

inline nlohmann::json median_or_null(std::vector<double> values) {
  std::optional<double> middle = median(std::move(values));
  return middle ? nlohmann::json(*middle) : nlohmann::json(nullptr);
}

inline nlohmann::json percentile_or_null(std::vector<double> values, double p) {
  std::optional<double> value = percentile(std::move(values), p);
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// A download_done of common/transfer/http_downloads.h that received the whole file and still failed: its
// SHA-1 differs from the catalogue's.
inline bool download_corrupt(const nlohmann::json& done) {
  double size = telemetry::number_at(done, "size").value_or(0);
  return !telemetry::bool_at(done, "ok").value_or(false) && size > 0 &&
         telemetry::number_at(done, "bytes").value_or(0) >= size;
}

}  // namespace p2p::labs
