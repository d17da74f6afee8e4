// The servents' query workload: keyword searches for catalogue files, drawn by Zipf popularity.
#pragma once

#include <cstddef>
#include <string>

#include "common/content/catalogue.h"
#include "common/content/zipf_sampler.h"
#include "common/util/random.h"

namespace p2p::gnutella {

struct WorkloadQuery {
  std::string words;  // the Query's search criteria: the file's keywords
  std::size_t file;   // the catalogue file the user has in mind
};

// Decides what a user searches for next: a file drawn by its popularity (measured Gnutella queries are
// Zipf-like, Sripanidkulchai 2001), asked for by the keywords of its name. The keywords leave out the
// name's number, so a query may also match a few other files made of the same words, as real ones do.
class QueryWorkload {
 public:
  // The catalogue must outlive the workload.
  explicit QueryWorkload(const content::Catalogue& catalogue)
      : catalogue_(catalogue), sampler_(catalogue.popularity()) {}

  WorkloadQuery next(Rng& rng) const;

 private:
  const content::Catalogue& catalogue_;
  content::ZipfSampler sampler_;
};

}  // namespace p2p::gnutella
