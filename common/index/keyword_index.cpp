// The inverted index: posting lists kept ascending, and AND searches that intersect them rarest first.
#include "common/index/keyword_index.h"

#include <algorithm>
#include <cassert>

namespace p2p::index {
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

void KeywordIndex::add(Id id, std::span<const std::string> words) {
  for (const std::string& word : words) {
    PostingList& list = postings_[word];
    list.insert(std::lower_bound(list.begin(), list.end(), id), id);
  }
}

void KeywordIndex::remove(Id id, std::span<const std::string> words) {
  for (const std::string& word : words) {
    auto posting = postings_.find(word);
    assert(posting != postings_.end());
    PostingList& list = posting->second;
    auto at = std::lower_bound(list.begin(), list.end(), id);
    assert(at != list.end() && *at == id);
    list.erase(at);
    // Drop empty lists, so words that churn through the index do not pile up.
    if (list.empty()) postings_.erase(posting);
  }
}

std::vector<KeywordIndex::Id> KeywordIndex::search(std::span<const std::string> words,
                                                   std::size_t limit) const {
  PostingList matches;
  if (words.empty() || limit == 0) return matches;
  std::vector<const PostingList*> lists;
  for (const std::string& word : words) {
    auto posting = postings_.find(word);
    if (posting == postings_.end()) return matches;  // a word nobody has: AND fails at once
    lists.push_back(&posting->second);
  }
  // Intersect from the rarest word up: each step can only shrink the candidates. Only the last step may stop
  // at the limit, since earlier ones do not yet know which candidates survive.
  std::sort(lists.begin(), lists.end(), [](const auto* a, const auto* b) { return a->size() < b->size(); });
  if (lists.size() == 1) {
    matches.assign(lists[0]->begin(), lists[0]->begin() + std::min(lists[0]->size(), limit));
    return matches;
  }
  PostingList scratch = *lists[0];
  for (std::size_t i = 1; i < lists.size(); ++i) {
    std::size_t step_limit = i + 1 == lists.size() ? limit : scratch.size();
    intersect(scratch, *lists[i], step_limit, matches);
    std::swap(scratch, matches);
  }
  return scratch;
}

}  // namespace p2p::index
