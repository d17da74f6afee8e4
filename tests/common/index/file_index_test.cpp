// Tests of the multi-user file index: AND searches, case folding, the result limit, and removal on logout.
#include "common/index/file_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "common/util/ids.h"
#include "common/util/random.h"

namespace p2p::index {
namespace {

using UserId = StrongId<struct UserTag, std::uint32_t>;
struct SharedFile {
  std::string name;
  std::uint64_t size = 0;
};
using Index = FileIndex<UserId, SharedFile>;
using IndexHit = Index::Hit;

const UserId kAlice{1};
const UserId kBob{2};

SharedFile file(std::string name, std::uint64_t size = 1000) {
  return {std::move(name), size};
}

std::set<std::string> names(const std::vector<IndexHit>& hits) {
  std::set<std::string> out;
  for (const auto& hit : hits) out.insert(hit.file->name);
  return out;
}

TEST(FileIndexTest, SearchRequiresEveryWord) {
  Index index;
  ASSERT_TRUE(index.share(kAlice, file("blue river song.mp3")).ok());
  ASSERT_TRUE(index.share(kAlice, file("blue sky.mp3")).ok());
  ASSERT_TRUE(index.share(kBob, file("red river.mp3")).ok());

  // "blue" alone matches two files; "blue river" only the file holding both words.
  EXPECT_EQ(names(index.search("blue", 100)), (std::set<std::string>{"blue river song.mp3", "blue sky.mp3"}));
  EXPECT_EQ(names(index.search("blue river", 100)), (std::set<std::string>{"blue river song.mp3"}));
  // A word nobody shares makes the whole AND fail.
  EXPECT_TRUE(index.search("blue river jazz", 100).empty());
  // Words are whole words, not substrings.
  EXPECT_TRUE(index.search("riv", 100).empty());
}

TEST(FileIndexTest, SearchIgnoresCaseAndPunctuation) {
  Index index;
  ASSERT_TRUE(index.share(kAlice, file("Sneaker_Pimps-Tesko.MP3")).ok());
  auto hits = index.search("sneaker PIMPS tesko", 10);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].owner, kAlice);
  EXPECT_EQ(hits[0].file->name, "Sneaker_Pimps-Tesko.MP3");
}

TEST(FileIndexTest, ResultsStopAtMaxResultsAndNeverExceedOneHundred) {
  Index index;
  for (int i = 0; i < 250; ++i)
    ASSERT_TRUE(index.share(kAlice, file("hit " + std::to_string(i) + ".mp3")).ok());
  EXPECT_EQ(index.search("hit", 7).size(), 7u);
  EXPECT_EQ(index.search("hit", 100).size(), 100u);
  EXPECT_EQ(index.search("hit mp3", 1000).size(), 250u);
  EXPECT_TRUE(index.search("hit", 0).empty());
}

TEST(FileIndexTest, RemovingAUserTakesAllItsFilesOutAtOnce) {
  Index index;
  ASSERT_TRUE(index.share(kAlice, file("one song.mp3", 10)).ok());
  ASSERT_TRUE(index.share(kAlice, file("two song.mp3", 20)).ok());
  ASSERT_TRUE(index.share(kBob, file("three song.mp3", 30)).ok());
  EXPECT_EQ(index.stats().files, 3u);

  // Alice's connection closes: her two files leave, Bob's stays.
  EXPECT_EQ(index.remove_user(kAlice), 2u);
  EXPECT_EQ(names(index.search("song", 100)), (std::set<std::string>{"three song.mp3"}));
  Index::Stats stats = index.stats();
  EXPECT_EQ(stats.files, 1u);
  EXPECT_EQ(stats.bytes, 30u);
  EXPECT_EQ(stats.sharing_users, 1u);
  EXPECT_TRUE(index.files_of(kAlice).empty());
}

TEST(FileIndexTest, UnshareRemovesOneFileAndSlotsAreReused) {
  Index index;
  ASSERT_TRUE(index.share(kAlice, file("keep me.mp3")).ok());
  ASSERT_TRUE(index.share(kAlice, file("drop me.mp3")).ok());
  ASSERT_TRUE(index.unshare(kAlice, "drop me.mp3").ok());
  EXPECT_FALSE(index.unshare(kAlice, "drop me.mp3").ok());
  EXPECT_EQ(names(index.search("me", 100)), (std::set<std::string>{"keep me.mp3"}));

  // A new file takes the freed slot and is found like any other.
  ASSERT_TRUE(index.share(kBob, file("new me.mp3")).ok());
  EXPECT_EQ(names(index.search("me", 100)), (std::set<std::string>{"keep me.mp3", "new me.mp3"}));
}

TEST(FileIndexTest, EveryCopyOfANameIsFoundWithItsOwnDetailsAndLeavesOnItsOwn) {
  // Alice and Bob share a file under the same name, but Bob's copy differs (another size).
  Index index;
  const UserId kCarol{3};
  ASSERT_TRUE(index.share(kAlice, file("same song.mp3", 100)).ok());
  ASSERT_TRUE(index.share(kBob, file("same song.mp3", 200)).ok());
  ASSERT_TRUE(index.share(kCarol, file("other song.mp3", 300)).ok());
  auto hits = index.search("same song", 100);
  ASSERT_EQ(hits.size(), 2u);
  std::map<std::uint32_t, std::uint64_t> size_by_owner;
  for (const auto& hit : hits) size_by_owner[hit.owner.value] = hit.file->size;
  EXPECT_EQ(size_by_owner, (std::map<std::uint32_t, std::uint64_t>{{1, 100}, {2, 200}}));
  // The cap counts copies, not names.
  EXPECT_EQ(index.search("song", 2).size(), 2u);

  // Alice leaves: Bob's copy is still found. Bob unshares it: the name is gone, the other stays.
  index.remove_user(kAlice);
  ASSERT_EQ(index.search("same", 100).size(), 1u);
  EXPECT_EQ(index.search("same", 100)[0].owner, kBob);
  ASSERT_TRUE(index.unshare(kBob, "same song.mp3").ok());
  EXPECT_TRUE(index.search("same", 100).empty());
  EXPECT_EQ(names(index.search("song", 100)), (std::set<std::string>{"other song.mp3"}));

  // The name can come back, from anyone.
  ASSERT_TRUE(index.share(kCarol, file("same song.mp3", 100)).ok());
  EXPECT_EQ(index.search("same song", 100).size(), 1u);
  EXPECT_EQ(index.stats().files, 2u);
}

TEST(FileIndexTest, RefusesDuplicateNamesAndSharesOverTheLimit) {
  Index index(2);
  ASSERT_TRUE(index.share(kAlice, file("a.mp3")).ok());
  EXPECT_FALSE(index.share(kAlice, file("a.mp3")).ok());
  // Another user may share the same name.
  EXPECT_TRUE(index.share(kBob, file("a.mp3")).ok());
  ASSERT_TRUE(index.share(kAlice, file("b.mp3")).ok());
  auto over = index.share(kAlice, file("c.mp3"));
  ASSERT_FALSE(over.ok());
  EXPECT_NE(over.reason().find("limit"), std::string::npos);
}

TEST(FileIndexTest, BrowseListsAUsersFilesByName) {
  Index index;
  ASSERT_TRUE(index.share(kAlice, file("zeta.mp3")).ok());
  ASSERT_TRUE(index.share(kAlice, file("alpha.mp3")).ok());
  auto files = index.files_of(kAlice);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0]->name, "alpha.mp3");
  EXPECT_EQ(files[1]->name, "zeta.mp3");
  EXPECT_NE(index.find(kAlice, "zeta.mp3"), nullptr);
  EXPECT_EQ(index.find(kBob, "zeta.mp3"), nullptr);
}

TEST(FileIndexTest, ManySharersAndChurnKeepSearchesExact) {
  // 200 users with 50 files each; every tenth user leaves; the survivors' files are all still found.
  Index index;
  for (std::uint32_t u = 1; u <= 200; ++u) {
    for (int f = 0; f < 50; ++f) {
      ASSERT_TRUE(
          index.share(UserId{u}, file("track " + std::to_string(f) + " user" + std::to_string(u))).ok());
    }
  }
  for (std::uint32_t u = 10; u <= 200; u += 10) index.remove_user(UserId{u});
  EXPECT_EQ(index.stats().files, 180u * 50u);
  EXPECT_EQ(index.search("track 7 user33", 100).size(), 1u);
  EXPECT_TRUE(index.search("track 7 user30", 100).empty());
  EXPECT_EQ(index.search("track 7", 1000).size(), 180u);
  EXPECT_EQ(index.search("track 7", 100).size(), 100u);
}

TEST(FileIndexTest, SearchAgreesWithABruteForceScan) {
  // Names of 1 to 4 words from a skewed vocabulary, so posting lists range from a few entries to thousands
  // and both the merge and the galloping intersections run; a third of the users then leave.
  const std::vector<std::string> vocabulary = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"};
  Rng rng(11);
  auto word = [&] {
    return vocabulary[std::min(rng.below(vocabulary.size()), rng.below(vocabulary.size()))];
  };
  Index index;
  std::vector<std::pair<UserId, std::string>> shared;
  for (int n = 0; n < 5000; ++n) {
    std::string name = "f" + std::to_string(n);
    for (int w = 0, words = static_cast<int>(rng.between(1, 4)); w < words; ++w) name += " " + word();
    UserId owner{static_cast<std::uint32_t>(rng.between(1, 30))};
    ASSERT_TRUE(index.share(owner, file(name)).ok());
    shared.emplace_back(owner, name);
  }
  for (std::uint32_t u = 1; u <= 30; u += 3) index.remove_user(UserId{u});
  std::erase_if(shared, [](const auto& s) { return (s.first.value - 1) % 3 == 0; });

  for (int q = 0; q < 300; ++q) {
    std::string query = word();
    for (int w = 0, extra = static_cast<int>(rng.below(3)); w < extra; ++w) query += " " + word();
    std::set<std::string> expected;
    for (const auto& [owner, name] : shared) {
      auto have = index_words(name);
      auto want = index_words(query);
      if (std::all_of(want.begin(), want.end(),
                      [&](const auto& w) { return std::find(have.begin(), have.end(), w) != have.end(); })) {
        expected.insert(name);
      }
    }
    auto hits = names(index.search(query, 100));
    if (expected.size() <= 100) {
      EXPECT_EQ(hits, expected) << query;
    } else {
      EXPECT_EQ(hits.size(), 100u) << query;
      EXPECT_TRUE(std::includes(expected.begin(), expected.end(), hits.begin(), hits.end())) << query;
    }
  }
}

}  // namespace
}  // namespace p2p::index
