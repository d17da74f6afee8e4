// SharedIndex: the catalogue files one servent shares, searchable by keyword, as it answers Queries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/content/catalogue.h"
#include "common/index/keyword_index.h"

namespace p2p::gnutella {

// A Query's search criteria are keywords; a servent answers with every shared file whose name holds all of
// them (GDF Gnutella 0.6, 2.2.7.4, leaves the matching rule to the servent; this is the usual AND of words).
// The files are catalogue files, so a node needs no folder on disk: its bytes come from the catalogue
// (content::content_bytes). A free rider simply has an empty index. Verified downloads are added. The words
// are the catalogue keywords' index words, kept in the common KeywordIndex under each file's catalogue index;
// what is Gnutella's own is the query-string rule: too many or too long words match nothing.
class SharedIndex {
 public:
  // A query of more words than this, or a longer word, matches nothing: no work for abusive queries.
  static constexpr std::size_t kMaxQueryWords = 16;
  static constexpr std::size_t kMaxWordBytes = 64;

  // `indices` must be valid in `catalogue`.
  SharedIndex(std::shared_ptr<const content::Catalogue> catalogue, const std::vector<std::size_t>& indices);

  void add(std::size_t index);
  bool shares(std::size_t index) const { return shared_.contains(index); }
  // The shared file that a download names by index and name, if both agree.
  const content::FileEntry* find(std::size_t index, std::string_view name) const;

  // Up to `max` shared files whose keywords include every word of `search`, lowest index first. Words are
  // lower-cased runs of ASCII letters and digits (index::index_words), so "Blue River" and "blue_river" ask
  // the same.
  std::vector<std::size_t> search(std::string_view search, std::size_t max) const;

  std::size_t size() const { return shared_.size(); }
  std::uint64_t total_bytes() const { return total_bytes_; }
  const content::Catalogue& catalogue() const { return *catalogue_; }

 private:
  std::shared_ptr<const content::Catalogue> catalogue_;
  std::set<std::size_t> shared_;
  index::KeywordIndex by_word_;
  std::uint64_t total_bytes_ = 0;
};

}  // namespace p2p::gnutella
