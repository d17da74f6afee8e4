// Tests of how names and queries become index words.
#include "common/index/words.h"

#include <gtest/gtest.h>

namespace p2p::index {
namespace {

TEST(IndexWordsTest, SplitsOnNonAlphanumericsFoldsCaseAndDropsRepeats) {
  EXPECT_EQ(index_words("Blue_River - Song 17.MP3 blue"),
            (std::vector<std::string>{"blue", "river", "song", "17", "mp3"}));
  EXPECT_TRUE(index_words(" -_. ").empty());
}

TEST(IndexWordsTest, OnlyAsciiLettersAndDigitsMakeWords) {
  // Bytes outside ASCII split like punctuation, whatever the locale.
  EXPECT_EQ(index_words("caf\xc3\xa9 \xe2\x99\xaa tune"), (std::vector<std::string>{"caf", "tune"}));
}

}  // namespace
}  // namespace p2p::index
