// Zipf popularity weights and a sampler that draws file indices by popularity, for every system's query
// workload.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "common/util/random.h"

namespace p2p::content {

// Zipf(alpha) over n ranks: weight of rank r (1-based) is r^-alpha / H, where H makes the weights sum to 1.
// Element k of the result is the weight of rank k + 1. Measured file-sharing popularity is Zipf-like with
// alpha near 0.6-1.0 (Breslau et al., INFOCOM 1999; Gummadi et al., SOSP 2003).
std::vector<double> zipf_weights(std::size_t n, double alpha);

// Draws an index with probability proportional to its weight: a precomputed cumulative distribution and a
// binary search, so a draw costs O(log n) whatever the catalogue size.
class ZipfSampler {
 public:
  // weights[i] is the popularity of index i (they need not sum to 1); at least one must be positive.
  explicit ZipfSampler(std::span<const double> weights);

  std::size_t draw(Rng& rng) const;
  std::size_t size() const { return cdf_.size(); }

 private:
  std::vector<double> cdf_;  // cdf_[i] = sum of weights[0..i], divided by the total
};

}  // namespace p2p::content
