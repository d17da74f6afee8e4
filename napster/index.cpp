// The server's in-memory inverted index: sharing, unsharing, dropping a user, and AND searches over posting
// lists.
#include "napster/index.h"

#include <algorithm>
#include <cassert>

#include "napster/words.h"

namespace p2p::napster {

Status FileIndex::share(UserId owner, FileInfo file) {
  assert(owner != UserId{});
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

Status FileIndex::unshare(UserId owner, std::string_view name) {
  auto user = by_user_.find(owner);
  if (user == by_user_.end()) return make_error("nothing is shared");
  auto file = user->second.find(name);
  if (file == user->second.end()) return make_error("\"" + std::string(name) + "\" is not shared");
  release_slot(file->second);
  user->second.erase(file);
  if (user->second.empty()) by_user_.erase(user);
  return Ok{};
}

std::size_t FileIndex::remove_user(UserId owner) {
  auto user = by_user_.find(owner);
  if (user == by_user_.end()) return 0;
  std::size_t removed = user->second.size();
  for (const auto& [name, slot] : user->second) release_slot(slot);
  by_user_.erase(user);
  return removed;
}

void FileIndex::index_slot(Slot slot) {
  for (auto& word : index_words(entries_[slot].file.name)) {
    PostingList& list = postings_[std::move(word)];
    list.insert(std::lower_bound(list.begin(), list.end(), slot), slot);
  }
}

void FileIndex::unindex_slot(Slot slot) {
  for (const auto& word : index_words(entries_[slot].file.name)) {
    auto posting = postings_.find(word);
    assert(posting != postings_.end());
    PostingList& list = posting->second;
    auto it = std::lower_bound(list.begin(), list.end(), slot);
    assert(it != list.end() && *it == slot);
    list.erase(it);
    // Drop empty lists, so words that churn through the index do not pile up.
    if (list.empty()) postings_.erase(posting);
  }
}

void FileIndex::release_slot(Slot slot) {
  unindex_slot(slot);
  --files_;
  bytes_ -= entries_[slot].file.size;
  entries_[slot] = Entry{};
  free_slots_.push_back(slot);
}

std::vector<IndexHit> FileIndex::search(std::string_view words, std::size_t max_results) const {
  std::vector<IndexHit> hits;
  max_results = std::min<std::size_t>(max_results, kMaxResults);
  std::vector<std::string> query = index_words(words);
  if (query.empty() || max_results == 0) return hits;

  std::vector<const PostingList*> lists;
  for (const auto& word : query) {
    auto posting = postings_.find(word);
    if (posting == postings_.end()) return hits;  // a word nobody has: AND fails at once
    lists.push_back(&posting->second);
  }
  // Walk the rarest word's list; every other list is only probed, from where the last probe stopped.
  std::sort(lists.begin(), lists.end(), [](const auto* a, const auto* b) { return a->size() < b->size(); });
  std::vector<PostingList::const_iterator> cursors;
  for (const auto* list : lists) cursors.push_back(list->begin());

  for (Slot candidate : *lists.front()) {
    bool in_all = true;
    for (std::size_t i = 1; i < lists.size(); ++i) {
      cursors[i] = std::lower_bound(cursors[i], lists[i]->end(), candidate);
      if (cursors[i] == lists[i]->end()) return hits;  // a list ran out: no later candidate can match
      if (*cursors[i] != candidate) {
        in_all = false;
        break;
      }
    }
    if (!in_all) continue;
    hits.push_back({entries_[candidate].owner, &entries_[candidate].file});
    if (hits.size() == max_results) break;
  }
  return hits;
}

std::vector<const FileInfo*> FileIndex::files_of(UserId owner) const {
  std::vector<const FileInfo*> files;
  auto user = by_user_.find(owner);
  if (user == by_user_.end()) return files;
  for (const auto& [name, slot] : user->second) files.push_back(&entries_[slot].file);
  return files;
}

const FileInfo* FileIndex::find(UserId owner, std::string_view name) const {
  auto user = by_user_.find(owner);
  if (user == by_user_.end()) return nullptr;
  auto file = user->second.find(name);
  return file == user->second.end() ? nullptr : &entries_[file->second].file;
}

IndexStats FileIndex::stats() const {
  return {by_user_.size(), files_, bytes_};
}

}  // namespace p2p::napster
