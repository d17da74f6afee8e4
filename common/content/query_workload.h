// A lab's query workload: keyword searches for catalogue files, drawn by Zipf popularity.
#pragma once

#include <cstddef>
#include <string>

#include "common/content/catalogue.h"
#include "common/content/zipf_sampler.h"
#include "common/util/random.h"

namespace p2p::content {

struct WorkloadQuery {
  std::string words;  // what the user types: the words of the file's name
  std::size_t file;   // the catalogue file the user has in mind
};

// Decides what a user searches for next: a catalogue file drawn by its popularity, asked for by the words of
// its name. Measured file-sharing queries follow such a skew (Sripanidkulchai 2001 for Gnutella; Saroiu et
// al., MMCN 2002 for Napster and Gnutella): a few files are asked for again and again, most rarely. The words
// leave out the name's number, so a search may also match a few other files made of the same words, as real
// ones do.
class QueryWorkload {
 public:
  // The catalogue must outlive the workload.
  explicit QueryWorkload(const Catalogue& catalogue)
      : catalogue_(catalogue), sampler_(catalogue.popularity()) {}

  WorkloadQuery next(Rng& rng) const;

 private:
  const Catalogue& catalogue_;
  ZipfSampler sampler_;
};

}  // namespace p2p::content
