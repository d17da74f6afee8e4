// The peers' query workload: keyword searches for catalogue files, drawn by Zipf popularity.
#pragma once

#include <cstddef>
#include <string>

#include "common/content/catalogue.h"
#include "common/content/zipf_sampler.h"
#include "common/util/random.h"

namespace p2p::napster {

struct Query {
  std::string words;  // what the user types: the file's name words
  std::size_t file;   // the catalogue file the user has in mind
};

// Decides what a user searches for next: a catalogue file drawn by its Zipf popularity (a few hits are asked
// for again and again, most files rarely), searched by the words of its name. Measured file-sharing queries
// follow such a skew (Saroiu et al., MMCN 2002); the index must then answer the same words many times.
class QueryWorkload {
 public:
  // The catalogue must outlive the workload.
  explicit QueryWorkload(const content::Catalogue& catalogue)
      : catalogue_(catalogue), sampler_(catalogue.popularity()) {}

  Query next(Rng& rng) const;

 private:
  const content::Catalogue& catalogue_;
  content::ZipfSampler sampler_;
};

}  // namespace p2p::napster
