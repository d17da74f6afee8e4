// Catalogue: one seed gives one catalogue of safe, unique, word-list names, log-uniform sizes and Zipf
// popularity.
#include "common/content/catalogue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "common/content/safe_name.h"

namespace p2p::content {
namespace {

Catalogue make(const CatalogueConfig& config) {
  return Catalogue::generate(config).value();
}

TEST(CatalogueTest, TheSameSeedGivesTheSameCatalogue) {
  CatalogueConfig config{.files = 200, .seed = 42};
  Catalogue a = make(config), b = make(config);
  config.seed = 43;
  Catalogue c = make(config);

  std::size_t same_as_other_seed = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a.file(i).name, b.file(i).name);
    EXPECT_EQ(a.file(i).size, b.file(i).size);
    EXPECT_EQ(a.file(i).rank, b.file(i).rank);
    EXPECT_EQ(a.file(i).content_id, b.file(i).content_id);
    same_as_other_seed += a.file(i).name == c.file(i).name;
  }
  EXPECT_EQ(same_as_other_seed, 0u);
}

TEST(CatalogueTest, NamesAreUniqueSafeAndMadeOfListedWords) {
  Catalogue cat = make({.files = 5000, .seed = 1});
  const std::set<std::string_view> words(word_list().begin(), word_list().end());
  std::set<std::string> names;
  for (const FileEntry& f : cat.files()) {
    EXPECT_TRUE(check_safe_name(f.name).ok()) << f.name;
    EXPECT_TRUE(names.insert(f.name).second) << "duplicate " << f.name;
    EXPECT_TRUE(f.name.ends_with(".mp3")) << f.name;
    // "blue_river_song_17.mp3" has the keywords blue, river, song, in that order.
    ASSERT_EQ(f.keywords.size(), 3u);
    EXPECT_TRUE(f.name.starts_with(f.keywords[0] + "_" + f.keywords[1] + "_" + f.keywords[2] + "_"))
        << f.name;
    for (const auto& k : f.keywords) EXPECT_TRUE(words.contains(k)) << k;
    EXPECT_EQ(cat.find(f.name), f.index);
  }
  EXPECT_EQ(cat.find("not_in_the_catalogue.mp3"), std::nullopt);
}

TEST(CatalogueTest, TheWordListHoldsAboutTwoHundredPlainLowerCaseWords) {
  const std::set<std::string_view> words(word_list().begin(), word_list().end());
  EXPECT_EQ(words.size(), word_list().size()) << "the list has duplicates";
  EXPECT_GE(words.size(), 200u);
  for (std::string_view w : words) {
    EXPECT_TRUE(std::ranges::all_of(w, [](char c) { return c >= 'a' && c <= 'z'; })) << w;
  }
}

TEST(CatalogueTest, SizesAreLogUniformBetweenTheBounds) {
  // Log-uniform from 1 KiB to 1 MiB: half of the files fall below the geometric mean, 32 KiB.
  Catalogue cat = make({.files = 4000, .min_size = 1024, .max_size = std::uint64_t{1024} * 1024, .seed = 5});
  std::size_t below_geometric_mean = 0;
  for (const FileEntry& f : cat.files()) {
    EXPECT_GE(f.size, 1024u);
    EXPECT_LE(f.size, 1024u * 1024);
    below_geometric_mean += f.size < std::uint64_t{32} * 1024;
  }
  EXPECT_NEAR(static_cast<double>(below_geometric_mean) / cat.size(), 0.5, 0.04);
  // Equal bounds give one fixed size.
  Catalogue fixed = make({.files = 10, .min_size = 777, .max_size = 777});
  for (const FileEntry& f : fixed.files()) EXPECT_EQ(f.size, 777u);
}

TEST(CatalogueTest, PopularityIsZipfOverAShuffledRanking) {
  Catalogue cat = make({.files = 500, .zipf_alpha = 1.0, .seed = 9});
  // Ranks are a permutation of 1..500, and not simply the index order.
  std::vector<std::size_t> ranks;
  for (const FileEntry& f : cat.files()) ranks.push_back(f.rank);
  EXPECT_FALSE(std::ranges::is_sorted(ranks));
  std::ranges::sort(ranks);
  for (std::size_t i = 0; i < ranks.size(); ++i) ASSERT_EQ(ranks[i], i + 1);

  // With alpha 1, rank r is exactly r times less popular than rank 1.
  auto by_rank = cat.files();
  std::ranges::sort(by_rank, {}, &FileEntry::rank);
  EXPECT_NEAR(by_rank[0].popularity / by_rank[9].popularity, 10.0, 1e-9);
  EXPECT_NEAR(std::accumulate(cat.popularity().begin(), cat.popularity().end(), 0.0), 1.0, 1e-9);
  for (const FileEntry& f : cat.files()) EXPECT_EQ(cat.popularity()[f.index], f.popularity);
}

TEST(CatalogueTest, RefusesConfigsNoLabCouldUse) {
  EXPECT_EQ(Catalogue::generate({.min_size = 0}).reason(), "catalogue min_size must be at least 1 byte");
  EXPECT_EQ(Catalogue::generate({.min_size = 10, .max_size = 5}).reason(),
            "catalogue min_size is larger than max_size");
  EXPECT_EQ(Catalogue::generate({.zipf_alpha = -1}).reason(),
            "catalogue zipf_alpha must be zero or positive");
  EXPECT_EQ(Catalogue::generate({.files = kMaxCatalogueFiles + 1}).reason(),
            "catalogue of 1000001 files is over the limit of 1000000");
  EXPECT_EQ(Catalogue::generate({.extension = "a/b"}).reason(), "file name contains a path separator");
  // An empty catalogue is fine: a lab may start with nothing shared.
  EXPECT_EQ(make({.files = 0}).size(), 0u);
}

}  // namespace
}  // namespace p2p::content
