// How file names and search queries become index words.
#include "common/index/words.h"

#include <algorithm>

namespace p2p::index {
namespace {

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

std::vector<std::string> index_words(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  auto flush = [&] {
    if (!current.empty() && std::find(words.begin(), words.end(), current) == words.end()) {
      words.push_back(current);
    }
    current.clear();
  };
  for (char c : text) {
    if (is_word_char(c)) {
      current += lower(c);
    } else {
      flush();
    }
  }
  flush();
  return words;
}

}  // namespace p2p::index
