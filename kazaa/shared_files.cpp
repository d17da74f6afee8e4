// A node's shared files by hash, their ShareFile messages, and the files its HTTP targets name.
#include "kazaa/shared_files.h"

#include "common/content/content_bytes.h"
#include "common/http/file_requests.h"
#include "common/util/encoding.h"

namespace p2p::kazaa {

ShareFile SharedFiles::add(std::size_t index) {
  auto known = indices_.find(index);
  if (known != indices_.end()) return share_of(index, known->second);
  Sha1Digest hash = content::file_sha1(catalogue_->file(index));
  indices_[index] = hash;
  by_hash_[hash] = index;
  return share_of(index, hash);
}

std::vector<ShareFile> SharedFiles::to_share() const {
  std::vector<ShareFile> shares;
  for (const auto& [index, hash] : indices_) shares.push_back(share_of(index, hash));
  return shares;
}

transfer::Resolved SharedFiles::resolve(std::string_view target) const {
  auto hash = http::parse_hash_target(target);
  if (!hash) return transfer::Refusal{400, "bad_request", hash.reason()};
  auto file = by_hash_.find(*hash);
  if (file == by_hash_.end()) {
    return transfer::Refusal{404, "not_shared", "no shared file has hash " + to_hex(*hash)};
  }
  return &catalogue_->file(file->second);
}

// p2plab sends no metadata tags: its searches match file names only (kazaa/PROTOCOL.md, "0x06 Query").
ShareFile SharedFiles::share_of(std::size_t index, const Sha1Digest& hash) const {
  const content::FileEntry& file = catalogue_->file(index);
  return ShareFile{file.name, file.size, hash, {}};
}

}  // namespace p2p::kazaa
