// FileIndex: the files that many users share, searchable by keyword, as a central index holds them: Napster's
// server, and KaZaA's supernodes for their children.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/index/keyword_index.h"
#include "common/index/words.h"
#include "common/util/expected.h"

namespace p2p::index {

// Tracks every file every user shares and answers keyword searches, in memory only, so a restarted index
// knows nothing until users share again (napster.txt messages 100, 102, 200, 211). Popular files are shared
// by many users under the same name, so the words index distinct names (KeywordIndex), and each name lists
// the slots of its copies: a word's posting list is then as long as the number of different names holding it,
// not the number of copies. Files live in a slot vector with a free list, and names in one with theirs, so
// memory stays flat under churn. `User` is a hashable id whose default value is never a user; `File` has a
// `name` and a `size` in bytes. A system's own limits (Napster's result cap) are applied by its caller.
template <typename User, typename File>
class FileIndex {
 public:
  static constexpr std::size_t kDefaultMaxFilesPerUser = 10'000;

  // One search hit. `file` points into the index and stays valid until the index next changes.
  struct Hit {
    User owner;
    const File* file = nullptr;
  };
  struct Stats {
    std::size_t sharing_users = 0;  // users with at least one file
    std::size_t files = 0;
    std::uint64_t bytes = 0;
  };

  explicit FileIndex(std::size_t max_files_per_user = kDefaultMaxFilesPerUser)
      : max_files_per_user_(max_files_per_user) {}

  // Fails if the user already shares a file of that name or has reached the per-user limit.
  Status share(User owner, File file);
  Status unshare(User owner, std::string_view name);
  // Everything the user shared, at once (a logout or a dropped connection). Returns how many files left.
  std::size_t remove_user(User owner);

  // Files whose names hold every word of `words` (AND), case-insensitively, at most `max_results`.
  std::vector<Hit> search(std::string_view words, std::size_t max_results) const;
  // The user's files in name order (a browse).
  std::vector<const File*> files_of(User owner) const;
  const File* find(User owner, std::string_view name) const;
  Stats stats() const { return {by_user_.size(), files_, bytes_}; }

 private:
  using Slot = std::uint32_t;
  using NameId = KeywordIndex::Id;
  struct Entry {
    User owner;  // User{} marks a free slot
    File file;
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
  KeywordIndex words_;
  std::unordered_map<User, std::map<std::string, Slot, std::less<>>> by_user_;
  std::size_t files_ = 0;
  std::uint64_t bytes_ = 0;
};

template <typename User, typename File>
Status FileIndex<User, File>::share(User owner, File file) {
  assert(owner != User{});
  auto& owned = by_user_[owner];
  if (owned.contains(file.name)) return make_error("\"" + file.name + "\" is already shared");
  if (owned.size() >= max_files_per_user_) {
    if (owned.empty()) by_user_.erase(owner);
    return make_error("share limit of " + std::to_string(max_files_per_user_) + " files reached");
  }
  Slot slot;
  if (free_slots_.empty()) {
    slot = static_cast<Slot>(entries_.size());
    entries_.push_back({});
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  owned.emplace(file.name, slot);
  ++files_;
  bytes_ += file.size;
  entries_[slot] = Entry{owner, std::move(file)};
  index_slot(slot);
  return Ok{};
}

template <typename User, typename File>
Status FileIndex<User, File>::unshare(User owner, std::string_view name) {
  auto user = by_user_.find(owner);
  if (user == by_user_.end()) return make_error("nothing is shared");
  auto file = user->second.find(name);
  if (file == user->second.end()) return make_error("\"" + std::string(name) + "\" is not shared");
  release_slot(file->second);
  user->second.erase(file);
  if (user->second.empty()) by_user_.erase(user);
  return Ok{};
}

template <typename User, typename File>
std::size_t FileIndex<User, File>::remove_user(User owner) {
  auto user = by_user_.find(owner);
  if (user == by_user_.end()) return 0;
  std::size_t removed = user->second.size();
  for (const auto& [name, slot] : user->second) release_slot(slot);
  by_user_.erase(user);
  return removed;
}

// A slot joins the copies of its name; the first copy of a name puts the name in its words' posting lists.
template <typename User, typename File>
void FileIndex<User, File>::index_slot(Slot slot) {
  const std::string& name = entries_[slot].file.name;
  auto [it, is_new] = name_ids_.try_emplace(name, NameId{});
  if (is_new) {
    if (free_names_.empty()) {
      it->second = static_cast<NameId>(copies_.size());
      copies_.emplace_back();
    } else {
      it->second = free_names_.back();
      free_names_.pop_back();
    }
    words_.add(it->second, index_words(name));
  }
  copies_[it->second].push_back(slot);
}

template <typename User, typename File>
void FileIndex<User, File>::unindex_slot(Slot slot) {
  const std::string& name = entries_[slot].file.name;
  auto it = name_ids_.find(name);
  assert(it != name_ids_.end());
  NameId id = it->second;
  std::vector<Slot>& copies = copies_[id];
  copies.erase(std::find(copies.begin(), copies.end(), slot));
  if (!copies.empty()) return;
  words_.remove(id, index_words(name));
  copies.shrink_to_fit();
  free_names_.push_back(id);
  name_ids_.erase(it);
}

template <typename User, typename File>
void FileIndex<User, File>::release_slot(Slot slot) {
  unindex_slot(slot);
  --files_;
  bytes_ -= entries_[slot].file.size;
  entries_[slot] = Entry{};
  free_slots_.push_back(slot);
}

// Every matching name has at least one copy, so max_results names are enough.
template <typename User, typename File>
auto FileIndex<User, File>::search(std::string_view words, std::size_t max_results) const
    -> std::vector<Hit> {
  std::vector<Hit> hits;
  for (NameId id : words_.search(index_words(words), max_results)) {
    for (Slot slot : copies_[id]) {
      if (hits.size() == max_results) return hits;
      hits.push_back({entries_[slot].owner, &entries_[slot].file});
    }
  }
  return hits;
}

template <typename User, typename File>
std::vector<const File*> FileIndex<User, File>::files_of(User owner) const {
  std::vector<const File*> files;
  auto user = by_user_.find(owner);
  if (user == by_user_.end()) return files;
  for (const auto& [name, slot] : user->second) files.push_back(&entries_[slot].file);
  return files;
}

template <typename User, typename File>
const File* FileIndex<User, File>::find(User owner, std::string_view name) const {
  auto user = by_user_.find(owner);
  if (user == by_user_.end()) return nullptr;
  auto file = user->second.find(name);
  return file == user->second.end() ? nullptr : &entries_[file->second].file;
}

}  // namespace p2p::index
