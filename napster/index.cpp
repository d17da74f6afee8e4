// The server's in-memory inverted index: sharing, unsharing, dropping a user, and AND searches over posting
// lists of distinct names.
#include "napster/index.h"

#include <algorithm>
#include <cassert>

#include "napster/words.h"

namespace p2p::napster {
namespace {

// The first element >= target at or after `it`, found by galloping (steps 1, 2, 4... then a binary search):
// a few comparisons when the target is near.
template <typename It, typename T>
It gallop(It it, It end, const T& target) {
  It low = it;
  std::ptrdiff_t step = 1;
  while (it != end && *it < target) {
    low = it;
    it = end - it <= step ? end : it + step;
    step *= 2;
  }
  return std::lower_bound(low, it, target);
}

// out = the elements of `small` also in `large`, at most `limit` of them; both ascending. Lists of like size
// are merged in one branch-light pass; a much longer list is only probed by galloping, so a rare word
// intersected with a common one ("blue" and "mp3") costs about the rare word's length.
template <typename T>
void intersect(const std::vector<T>& small, const std::vector<T>& large, std::size_t limit,
               std::vector<T>& out) {
  out.clear();
  constexpr std::size_t kGallopRatio = 16;
  if (large.size() / kGallopRatio > small.size()) {
    auto it = large.begin();
    for (const T& value : small) {
      it = gallop(it, large.end(), value);
      if (it == large.end() || out.size() == limit) return;
      if (*it == value) out.push_back(value);
    }
    return;
  }
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < small.size() && j < large.size() && out.size() < limit) {
    T a = small[i];
    T b = large[j];
    if (a == b) out.push_back(a);
    i += a <= b;
    j += b <= a;
  }
}

}  // namespace

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

// A slot joins the copies of its name; the first copy of a name puts the name in its words' posting lists.
void FileIndex::index_slot(Slot slot) {
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
    for (auto& word : index_words(name)) {
      PostingList& list = postings_[std::move(word)];
      list.insert(std::lower_bound(list.begin(), list.end(), it->second), it->second);
    }
  }
  copies_[it->second].push_back(slot);
}

void FileIndex::unindex_slot(Slot slot) {
  const std::string& name = entries_[slot].file.name;
  auto it = name_ids_.find(name);
  assert(it != name_ids_.end());
  NameId id = it->second;
  std::vector<Slot>& copies = copies_[id];
  copies.erase(std::find(copies.begin(), copies.end(), slot));
  if (!copies.empty()) return;
  for (const auto& word : index_words(name)) {
    auto posting = postings_.find(word);
    assert(posting != postings_.end());
    PostingList& list = posting->second;
    auto at = std::lower_bound(list.begin(), list.end(), id);
    assert(at != list.end() && *at == id);
    list.erase(at);
    // Drop empty lists, so words that churn through the index do not pile up.
    if (list.empty()) postings_.erase(posting);
  }
  copies.shrink_to_fit();
  free_names_.push_back(id);
  name_ids_.erase(it);
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
  // Intersect from the rarest word up: each step can only shrink the candidates. Only the last step may stop
  // at the result cap, since earlier ones do not yet know which candidates survive.
  std::sort(lists.begin(), lists.end(), [](const auto* a, const auto* b) { return a->size() < b->size(); });
  PostingList matches;
  if (lists.size() == 1) {
    matches.assign(lists[0]->begin(), lists[0]->begin() + std::min(lists[0]->size(), max_results));
  } else {
    PostingList scratch = *lists[0];
    for (std::size_t i = 1; i < lists.size(); ++i) {
      std::size_t limit = i + 1 == lists.size() ? max_results : scratch.size();
      intersect(scratch, *lists[i], limit, matches);
      std::swap(scratch, matches);
    }
    std::swap(scratch, matches);
  }
  // Every matching name has at least one copy, so max_results names are enough.
  for (NameId id : matches) {
    for (Slot slot : copies_[id]) {
      if (hits.size() == max_results) return hits;
      hits.push_back({entries_[slot].owner, &entries_[slot].file});
    }
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
