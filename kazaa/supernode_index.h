// SupernodeIndex: what a supernode knows of its children's shared files, on the index Napster's server uses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/index/file_index.h"
#include "common/net/endpoint.h"
#include "common/util/expected.h"
#include "common/util/hash.h"
#include "common/util/ids.h"

namespace p2p::kazaa {

// One file a child shares: FastTrack's share message gives its name, size and content hash (giFT-FastTrack
// notes), and the hash names it in the download, `GET /.hash=<40 hex>`.
struct SharedFile {
  std::string name;
  std::uint64_t size = 0;  // bytes
  Sha1Digest hash{};
  bool operator==(const SharedFile&) const = default;
};

// Who a child is, as its login (user info) says: where it serves its files over HTTP, and its user name.
struct ChildInfo {
  Endpoint address;
  std::string user;
  bool operator==(const ChildInfo&) const = default;
};

// One search match. Both pointers point into the index and stay valid until it next changes.
struct IndexMatch {
  const ChildInfo* owner = nullptr;
  const SharedFile* file = nullptr;
};

// Tracks the files a supernode's children share and answers keyword searches over them: a supernode is a
// small Napster server for its children (PROTOCOLS.md, KaZaA: "An SN indexes its children's files, like a
// small Napster server"), so this is napster-server's index (common/index/file_index.h) with KaZaA's file
// record, plus who each child is. A child is known by its connection to the supernode; its files go when it
// leaves. FastTrack's result cap is the caller's (kSearchResultsMax, kazaa/query_driver.h).
class SupernodeIndex {
 public:
  using Files = index::FileIndex<ConnId, SharedFile>;

  explicit SupernodeIndex(std::size_t max_files_per_child = Files::kDefaultMaxFilesPerUser)
      : files_(max_files_per_child) {}

  // A child attached (or sent new user info).
  void add_child(ConnId child, ChildInfo info) { children_[child] = std::move(info); }
  // Fails for a child not added, a name it already shares, or past the per-child limit.
  Status share(ConnId child, SharedFile file);
  Status unshare(ConnId child, std::string_view name) { return files_.unshare(child, name); }
  // The child left or was lost: it and all its files go. Returns how many files went.
  std::size_t remove_child(ConnId child);

  // Files whose names hold every word of `words`, at most `max_results`.
  std::vector<IndexMatch> search(std::string_view words, std::size_t max_results) const;

  std::size_t children() const { return children_.size(); }
  std::size_t files() const { return files_.stats().files; }
  std::uint64_t bytes() const { return files_.stats().bytes; }

 private:
  std::unordered_map<ConnId, ChildInfo> children_;
  Files files_;
};

}  // namespace p2p::kazaa
