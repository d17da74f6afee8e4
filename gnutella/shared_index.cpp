// The shared-file keyword index of a servent.
#include "gnutella/shared_index.h"

#include <algorithm>
#include <cassert>
#include <cctype>

namespace p2p::gnutella {

std::vector<std::string> search_words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty() && std::find(words.begin(), words.end(), word) == words.end()) words.push_back(word);
    word.clear();
  };
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      flush();
    }
  }
  flush();
  return words;
}

SharedIndex::SharedIndex(std::shared_ptr<const content::Catalogue> catalogue,
                         const std::vector<std::size_t>& indices)
    : catalogue_(std::move(catalogue)) {
  assert(catalogue_ != nullptr);
  for (std::size_t index : indices) add(index);
}

void SharedIndex::add(std::size_t index) {
  assert(index < catalogue_->size());
  if (!shared_.insert(index).second) return;
  const content::FileEntry& file = catalogue_->file(index);
  total_bytes_ += file.size;
  for (const std::string& word : file.keywords) {
    for (const std::string& folded : search_words(word)) by_word_[folded].insert(index);
  }
}

const content::FileEntry* SharedIndex::find(std::size_t index, std::string_view name) const {
  if (!shared_.contains(index)) return nullptr;
  const content::FileEntry& file = catalogue_->file(index);
  return file.name == name ? &file : nullptr;
}

std::vector<std::size_t> SharedIndex::search(std::string_view search, std::size_t max) const {
  std::vector<std::string> words = search_words(search);
  if (words.empty() || words.size() > kMaxQueryWords) return {};
  std::vector<const std::set<std::size_t>*> lists;
  for (const std::string& word : words) {
    if (word.size() > kMaxWordBytes) return {};
    auto it = by_word_.find(word);
    if (it == by_word_.end()) return {};
    lists.push_back(&it->second);
  }
  // Walk the shortest list and keep what every other list also holds.
  std::sort(lists.begin(), lists.end(), [](auto* a, auto* b) { return a->size() < b->size(); });
  std::vector<std::size_t> found;
  for (std::size_t index : *lists.front()) {
    if (found.size() >= max) break;
    bool everywhere =
        std::all_of(lists.begin() + 1, lists.end(), [&](auto* list) { return list->contains(index); });
    if (everywhere) found.push_back(index);
  }
  return found;
}

}  // namespace p2p::gnutella
