// Tests of the shared folders the peer core reads from: in memory for unit tests, catalogue-backed for
// SimNet.
#include "napster/shared_files.h"

#include <gtest/gtest.h>

#include "common/content/content_bytes.h"

namespace p2p::napster {
namespace {

TEST(MemorySharedFilesTest, ListsReadsAndStoresCommittedDownloads) {
  MemorySharedFiles files;
  files.add("a.mp3", to_bytes("hello world"));
  ASSERT_EQ(files.list().size(), 1u);
  EXPECT_EQ(files.find("a.mp3")->md5, md5(as_bytes("hello world")));
  EXPECT_EQ(as_chars(*files.read("a.mp3", 6, 100)), "world");
  EXPECT_FALSE(files.read("b.mp3", 0, 1).ok());

  // A sink's bytes become a shared file only on commit.
  auto sink = files.create({"b.mp3", 3, md5(as_bytes("abc"))});
  ASSERT_TRUE(sink.ok());
  ASSERT_TRUE((*sink)->write(as_bytes("abc")).ok());
  EXPECT_FALSE(files.find("b.mp3").has_value());
  ASSERT_TRUE((*sink)->commit().ok());
  EXPECT_EQ(as_chars(*files.read("b.mp3", 0, 3)), "abc");
}

TEST(MemorySharedFilesTest, RefusesIncompleteAndOversizedDownloads) {
  MemorySharedFiles files;
  auto sink = files.create({"c.mp3", 3, {}});
  ASSERT_TRUE(sink.ok());
  EXPECT_FALSE((*sink)->write(as_bytes("abcd")).ok());
  ASSERT_TRUE((*sink)->write(as_bytes("ab")).ok());
  EXPECT_FALSE((*sink)->commit().ok());
  EXPECT_FALSE(files.find("c.mp3").has_value());
}

TEST(CatalogueSharedFilesTest, ServesCatalogueBytesAndAddsDownloadedCatalogueFiles) {
  auto catalogue = content::Catalogue::generate({.files = 20, .min_size = 1000, .max_size = 5000, .seed = 9});
  ASSERT_TRUE(catalogue.ok());
  CatalogueSharedFiles files(*catalogue, {2, 5});
  ASSERT_EQ(files.list().size(), 2u);
  const content::FileEntry& two = catalogue->file(2);
  EXPECT_EQ(files.find(two.name)->md5, content::file_md5(two));
  EXPECT_EQ(*files.read(two.name, 10, 50), content::content_bytes(two, 10, 50));
  EXPECT_FALSE(files.read(catalogue->file(3).name, 0, 1).ok());

  // Downloading file 3 in full makes it shared; a name outside the catalogue cannot be stored.
  const content::FileEntry& three = catalogue->file(3);
  auto sink = files.create({three.name, three.size, content::file_md5(three)});
  ASSERT_TRUE(sink.ok());
  ASSERT_TRUE((*sink)->write(content::content_bytes(three, 0, three.size)).ok());
  ASSERT_TRUE((*sink)->commit().ok());
  EXPECT_TRUE(files.find(three.name).has_value());
  EXPECT_FALSE(files.create({"stranger.mp3", 10, {}}).ok());
}

}  // namespace
}  // namespace p2p::napster
