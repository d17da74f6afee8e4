// The server's in-memory inverted index of shared files: lower-cased name words to posting lists of files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/util/expected.h"
#include "common/util/ids.h"
#include "napster/message.h"

namespace p2p::napster {

// Who shares a file, as the server numbers its logged-in users. 0 is never a user.
using UserId = StrongId<struct UserTag, std::uint32_t>;

// One search hit. `file` points into the index and stays valid until the index next changes.
struct IndexHit {
  UserId owner;
  const FileInfo* file = nullptr;
};

struct IndexStats {
  std::size_t sharing_users = 0;  // users with at least one file
  std::size_t files = 0;
  std::uint64_t bytes = 0;
};

// Tracks every file every logged-in user shares and answers keyword searches, as Napster's central server
// did: in memory only, so a restarted server knows nothing until peers share again (napster.txt messages 100,
// 102, 200, 211). Popular files are shared by many users under the same name, so the words index distinct
// names, and each name lists the slots of its copies: a word's posting list (name ids, kept sorted) is then
// as long as the number of different names holding it, not the number of copies. A search intersects the
// lists from the rarest word up (merging lists of like size, galloping through much longer ones), so its
// cost follows the rare words, not the index size, and the last step stops at the result cap. Files live in
// a slot vector with a free list, and names in one with theirs, so memory stays flat under churn.
class FileIndex {
 public:
  static constexpr std::size_t kDefaultMaxFilesPerUser = 10'000;

  explicit FileIndex(std::size_t max_files_per_user = kDefaultMaxFilesPerUser)
      : max_files_per_user_(max_files_per_user) {}

  // Fails if the user already shares a file of that name or has reached the per-user limit.
  Status share(UserId owner, FileInfo file);
  Status unshare(UserId owner, std::string_view name);
  // Everything the user shared, at once (a logout or a dropped connection). Returns how many files left.
  std::size_t remove_user(UserId owner);

  // Files whose names hold all of `words` (AND), case-insensitively, at most min(max_results, kMaxResults).
  std::vector<IndexHit> search(std::string_view words, std::size_t max_results) const;
  // The user's files in name order (a browse).
  std::vector<const FileInfo*> files_of(UserId owner) const;
  const FileInfo* find(UserId owner, std::string_view name) const;
  IndexStats stats() const;

 private:
  using Slot = std::uint32_t;
  using NameId = std::uint32_t;
  using PostingList = std::vector<NameId>;  // ascending
  struct Entry {
    UserId owner;  // UserId{} marks a free slot
    FileInfo file;
  };

  void index_slot(Slot slot);
  void unindex_slot(Slot slot);
  void release_slot(Slot slot);

  std::size_t max_files_per_user_;
  std::vector<Entry> entries_;
  std::vector<Slot> free_slots_;
  std::vector<std::vector<Slot>>
      copies_;  // by name id: the slots sharing that name; empty when the id is free
  std::vector<NameId> free_names_;
  std::unordered_map<std::string, NameId> name_ids_;
  std::unordered_map<std::string, PostingList> postings_;
  std::unordered_map<UserId, std::map<std::string, Slot, std::less<>>> by_user_;
  std::size_t files_ = 0;
  std::uint64_t bytes_ = 0;
};

}  // namespace p2p::napster
