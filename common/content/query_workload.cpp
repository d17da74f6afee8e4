// A lab's query workload.
#include "common/content/query_workload.h"

namespace p2p::content {

WorkloadQuery QueryWorkload::next(Rng& rng) const {
  std::size_t index = sampler_.draw(rng);
  std::string words;
  for (const std::string& word : catalogue_.file(index).keywords) words += (words.empty() ? "" : " ") + word;
  return {words, index};
}

}  // namespace p2p::content
