// Tests of the inverted index: AND over posting lists, lowest ids first, the limit, and removal.
#include "common/index/keyword_index.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace p2p::index {
namespace {

using Ids = std::vector<KeywordIndex::Id>;
using Words = std::vector<std::string>;

TEST(KeywordIndexTest, ASearchListsTheIdsHoldingEveryWordLowestFirst) {
  KeywordIndex index;
  index.add(7, Words{"blue", "river"});
  index.add(2, Words{"blue", "sky"});
  index.add(5, Words{"blue", "river", "song"});

  EXPECT_EQ(index.search(Words{"blue"}, 10), (Ids{2, 5, 7}));
  EXPECT_EQ(index.search(Words{"river", "blue"}, 10), (Ids{5, 7}));
  // A word nobody has spoils the AND; no words match nothing.
  EXPECT_TRUE(index.search(Words{"blue", "jazz"}, 10).empty());
  EXPECT_TRUE(index.search(Words{}, 10).empty());
}

TEST(KeywordIndexTest, TheLimitKeepsTheLowestIds) {
  KeywordIndex index;
  for (KeywordIndex::Id id = 0; id < 100; ++id) index.add(id, Words{"hit", id % 2 == 0 ? "even" : "odd"});
  EXPECT_EQ(index.search(Words{"hit"}, 3), (Ids{0, 1, 2}));
  EXPECT_EQ(index.search(Words{"hit", "odd"}, 3), (Ids{1, 3, 5}));
  EXPECT_TRUE(index.search(Words{"hit"}, 0).empty());
}

TEST(KeywordIndexTest, ARareWordIntersectsWithAVeryCommonOne) {
  // 1,000 ids hold "mp3", two of them "rare": the galloping path.
  KeywordIndex index;
  for (KeywordIndex::Id id = 0; id < 1000; ++id) index.add(id, Words{"mp3"});
  index.add(1000, Words{"rare"});
  index.remove(500, Words{"mp3"});
  index.add(500, Words{"mp3", "rare"});
  index.remove(900, Words{"mp3"});
  index.add(900, Words{"mp3", "rare"});
  EXPECT_EQ(index.search(Words{"mp3", "rare"}, 10), (Ids{500, 900}));
}

TEST(KeywordIndexTest, RemovedIdsAreNoLongerFound) {
  KeywordIndex index;
  index.add(1, Words{"keep", "me"});
  index.add(2, Words{"drop", "me"});
  index.remove(2, Words{"drop", "me"});
  EXPECT_EQ(index.search(Words{"me"}, 10), (Ids{1}));
  EXPECT_TRUE(index.search(Words{"drop"}, 10).empty());
}

}  // namespace
}  // namespace p2p::index
