// KeywordIndex: an inverted index from words to the ids of the names that hold them, and AND searches over
// it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace p2p::index {

// Tracks, for every word, the ids of the names holding it (a posting list, kept ascending), and answers
// "which ids hold all of these words". A search intersects the lists from the rarest word up (merging lists
// of like size, galloping through much longer ones), so its cost follows the rare words, not the index size,
// and the last step stops at the limit. What an id stands for is the caller's: a distinct file name on
// Napster's server (FileIndex), a catalogue file on a Gnutella servent (gnutella::SharedIndex).
class KeywordIndex {
 public:
  using Id = std::uint32_t;

  // Puts `id` in the posting list of every word of `words`, which must be distinct (as index_words gives
  // them) and not already hold `id`.
  void add(Id id, std::span<const std::string> words);
  // Takes `id` out of the lists it was added to with the same `words`; a list left empty goes.
  void remove(Id id, std::span<const std::string> words);
  // The ids listed under every word of `words` (AND), lowest first, at most `limit`. No words, no ids.
  std::vector<Id> search(std::span<const std::string> words, std::size_t limit) const;

 private:
  using PostingList = std::vector<Id>;  // ascending
  std::unordered_map<std::string, PostingList> postings_;
};

}  // namespace p2p::index
