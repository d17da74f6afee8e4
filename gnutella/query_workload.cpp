// The servents' query workload.
#include "gnutella/query_workload.h"

namespace p2p::gnutella {

WorkloadQuery QueryWorkload::next(Rng& rng) const {
  std::size_t index = sampler_.draw(rng);
  std::string words;
  for (const std::string& word : catalogue_.file(index).keywords) words += (words.empty() ? "" : " ") + word;
  return {words, index};
}

}  // namespace p2p::gnutella
