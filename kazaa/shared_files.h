// SharedFiles: the catalogue files a KaZaA node shares, known by their content hash.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string_view>
#include <vector>

#include "common/content/catalogue.h"
#include "common/transfer/http_uploads.h"
#include "common/util/hash.h"
#include "kazaa/message.h"

namespace p2p::kazaa {

// What a node shares, by SHA-1: the hash is how its supernode's index names a file and how a download asks
// for it (`GET /.hash=<40 hex>`, kazaa/PROTOCOL.md "File transfers"). Each file is hashed once, when added.
class SharedFiles {
 public:
  explicit SharedFiles(std::shared_ptr<const content::Catalogue> catalogue)
      : catalogue_(std::move(catalogue)) {}

  // Shares catalogue file `index` (checked against the catalogue's size first); returns its ShareFile.
  ShareFile add(std::size_t index);
  bool shares(std::size_t index) const { return indices_.contains(index); }
  // One ShareFile per file, for the upload to a new supernode.
  std::vector<ShareFile> to_share() const;
  // The file a `/.hash=` target names, or a refusal: 400 "bad_request" for another target, 404 "not_shared".
  transfer::Resolved resolve(std::string_view target) const;

  std::size_t size() const { return by_hash_.size(); }
  const content::Catalogue& catalogue() const { return *catalogue_; }

 private:
  ShareFile share_of(std::size_t index, const Sha1Digest& hash) const;

  std::shared_ptr<const content::Catalogue> catalogue_;
  std::map<Sha1Digest, std::size_t> by_hash_;
  std::map<std::size_t, Sha1Digest> indices_;
};

}  // namespace p2p::kazaa
