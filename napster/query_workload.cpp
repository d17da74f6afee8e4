// The peers' query workload.
#include "napster/query_workload.h"

namespace p2p::napster {

Query QueryWorkload::next(Rng& rng) const {
  std::size_t index = sampler_.draw(rng);
  const content::FileEntry& file = catalogue_.file(index);
  std::string words;
  for (const auto& word : file.keywords) words += (words.empty() ? "" : " ") + word;
  return {words, index};
}

}  // namespace p2p::napster
