// How file names and search queries become index words: lower-cased runs of ASCII letters and digits.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace p2p::index {

// "Blue_River - Song 17.mp3" -> {"blue", "river", "song", "17", "mp3"}: every separator (space, '_', '-',
// '.', anything not a letter or digit) splits, case is folded, and repeated words are kept once, in
// first-seen order. Names are indexed and queries split with this one function, so both agree on what a
// word is.
std::vector<std::string> index_words(std::string_view text);

}  // namespace p2p::index
