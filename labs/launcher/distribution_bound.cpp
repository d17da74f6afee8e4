// The distribution-time bounds of the lecture, as the formulas read.
#include "labs/launcher/distribution_bound.h"

#include <algorithm>
#include <numeric>

namespace p2p::labs {

double client_server_bound_s(const BoundInputs& d) {
  double n = static_cast<double>(d.peer_up_bps.size());
  return std::max(n * d.file_bits / d.server_up_bps, d.file_bits / d.min_down_bps);
}

double p2p_bound_s(const BoundInputs& d) {
  double n = static_cast<double>(d.peer_up_bps.size());
  double swarm_up = std::accumulate(d.peer_up_bps.begin(), d.peer_up_bps.end(), d.server_up_bps);
  return std::max({d.file_bits / d.server_up_bps, d.file_bits / d.min_down_bps, n * d.file_bits / swarm_up});
}

}  // namespace p2p::labs
