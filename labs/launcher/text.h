// Small text helpers the scenario readers share: splitting, trimming, and numbers that report what is wrong.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/expected.h"

namespace p2p::labs {

std::string_view trim(std::string_view text);
// Splits on `separator` and trims each piece; empty pieces are kept, so "a,,b" shows its mistake.
std::vector<std::string> split(std::string_view text, char separator);
// Splits on runs of blanks.
std::vector<std::string> words(std::string_view text);

// The whole of `text` as a number, or an error naming `what` and the text.
Expected<double> parse_number(std::string_view text, std::string_view what);
Expected<std::uint64_t> parse_count(std::string_view text, std::string_view what);

}  // namespace p2p::labs
