// SharedIndex: which shared files a Query's keywords match, and what a download may name.
#include "gnutella/shared_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

namespace p2p::gnutella {
namespace {

std::shared_ptr<const content::Catalogue> catalogue() {
  content::CatalogueConfig config;
  config.files = 200;
  config.seed = 5;
  return std::make_shared<const content::Catalogue>(content::Catalogue::generate(config).value());
}

std::string words_of(const content::FileEntry& file) {
  std::string words;
  for (const std::string& w : file.keywords) words += (words.empty() ? "" : " ") + w;
  return words;
}

TEST(SharedIndexTest, AQueryMatchesTheSharedFilesHoldingAllItsWords) {
  auto files = catalogue();
  SharedIndex index(files, {3, 10, 42});
  const content::FileEntry& wanted = files->file(10);

  // All three words of file 10's name find it; so does any one of them, with maybe others.
  EXPECT_EQ(index.search(words_of(wanted), 16), std::vector<std::size_t>{10});
  std::vector<std::size_t> by_one_word = index.search(wanted.keywords[1], 16);
  EXPECT_NE(std::find(by_one_word.begin(), by_one_word.end(), 10u), by_one_word.end());
  // Case and separators do not matter.
  std::string shouted = wanted.keywords[0] + "_" + wanted.keywords[2];
  for (char& c : shouted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(index.search(shouted, 16), std::vector<std::size_t>{10});
  // A word that no shared file has spoils the match.
  EXPECT_TRUE(index.search(words_of(wanted) + " zzzz", 16).empty());
}

TEST(SharedIndexTest, FilesNotSharedAreNeverFoundAndEmptyOrAbusiveQueriesMatchNothing) {
  auto files = catalogue();
  SharedIndex index(files, {3});
  for (std::size_t found : index.search(words_of(files->file(4)), 16)) EXPECT_EQ(found, 3u);
  EXPECT_TRUE(index.search("", 16).empty());
  EXPECT_TRUE(index.search("  ... ", 16).empty());
  std::string many;
  for (int i = 0; i < 17; ++i) many += files->file(3).keywords[0] + std::to_string(i) + " ";
  EXPECT_TRUE(index.search(many, 16).empty());
  // The free rider's index is empty: nothing matches, ever.
  SharedIndex free_rider(files, {});
  EXPECT_TRUE(free_rider.search(words_of(files->file(3)), 16).empty());
  EXPECT_EQ(free_rider.size(), 0u);
}

TEST(SharedIndexTest, ResultsAreCappedLowestIndexFirst) {
  auto files = catalogue();
  std::vector<std::size_t> all(files->size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  SharedIndex index(files, all);
  // The most common word of the catalogue matches many files; only the first two come back.
  std::map<std::string, int> counts;
  for (const auto& f : files->files()) {
    for (const auto& w : f.keywords) ++counts[w];
  }
  auto common =
      std::max_element(counts.begin(), counts.end(), [](auto& a, auto& b) { return a.second < b.second; });
  ASSERT_GT(common->second, 2);
  std::vector<std::size_t> two = index.search(common->first, 2);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_LT(two[0], two[1]);
}

TEST(SharedIndexTest, ADownloadMustNameASharedFileByItsIndexAndName) {
  auto files = catalogue();
  SharedIndex index(files, {3});
  EXPECT_EQ(index.find(3, files->file(3).name), &files->file(3));
  EXPECT_EQ(index.find(3, files->file(4).name), nullptr);  // right index, wrong name
  EXPECT_EQ(index.find(4, files->file(4).name), nullptr);  // not shared
  // A verified download joins the shared files.
  index.add(4);
  EXPECT_EQ(index.find(4, files->file(4).name), &files->file(4));
  EXPECT_EQ(index.total_bytes(), files->file(3).size + files->file(4).size);
}

}  // namespace
}  // namespace p2p::gnutella
