// Zipf popularity weights and a sampler that draws file indices by popularity, for every system's query
// workload.
#include "common/content/zipf_sampler.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace p2p::content {

std::vector<double> zipf_weights(std::size_t n, double alpha) {
  std::vector<double> weights(n);
  double total = 0;
  for (std::size_t k = 0; k < n; ++k) {
    weights[k] = std::pow(static_cast<double>(k + 1), -alpha);
    total += weights[k];
  }
  for (double& w : weights) w /= total;
  return weights;
}

ZipfSampler::ZipfSampler(std::span<const double> weights) : cdf_(weights.size()) {
  double running = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    assert(weights[i] >= 0);
    running += weights[i];
    cdf_[i] = running;
  }
  assert(running > 0);
  for (double& c : cdf_) c /= running;
  // Rounding may leave the last entry a hair under 1; a uniform draw must always land somewhere.
  cdf_.back() = 1.0;
}

std::size_t ZipfSampler::draw(Rng& rng) const {
  const double u = rng.uniform();
  // The first index whose cumulative weight exceeds u; zero-weight indices are never chosen.
  return static_cast<std::size_t>(std::upper_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
}

}  // namespace p2p::content
