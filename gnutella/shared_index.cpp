// The shared-file keyword index of a servent.
#include "gnutella/shared_index.h"

#include <algorithm>
#include <cassert>

#include "common/index/words.h"

namespace p2p::gnutella {

SharedIndex::SharedIndex(std::shared_ptr<const content::Catalogue> catalogue,
                         const std::vector<std::size_t>& indices)
    : catalogue_(std::move(catalogue)) {
  assert(catalogue_ != nullptr);
  for (std::size_t index : indices) add(index);
}

void SharedIndex::add(std::size_t index) {
  assert(index < catalogue_->size() && index <= UINT32_MAX);
  if (!shared_.insert(index).second) return;
  const content::FileEntry& file = catalogue_->file(index);
  total_bytes_ += file.size;
  // The words of all the file's keywords, each once: split together, as one text.
  std::string keywords;
  for (const std::string& keyword : file.keywords) keywords += keyword + " ";
  by_word_.add(static_cast<std::uint32_t>(index), index::index_words(keywords));
}

const content::FileEntry* SharedIndex::find(std::size_t index, std::string_view name) const {
  if (!shared_.contains(index)) return nullptr;
  const content::FileEntry& file = catalogue_->file(index);
  return file.name == name ? &file : nullptr;
}

std::vector<std::size_t> SharedIndex::search(std::string_view search, std::size_t max) const {
  std::vector<std::string> words = index::index_words(search);
  if (words.size() > kMaxQueryWords ||
      std::any_of(words.begin(), words.end(), [](const auto& word) { return word.size() > kMaxWordBytes; })) {
    return {};
  }
  auto found = by_word_.search(words, max);
  return {found.begin(), found.end()};
}

}  // namespace p2p::gnutella
