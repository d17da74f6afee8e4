// The supernode's index: children's files found by keyword with their owner, unshares, the cap, and a
// departed child forgotten.
#include "kazaa/supernode_index.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace p2p::kazaa {
namespace {

const ChildInfo kAlice{Endpoint{"10.0.2.1", 1214}, "alice"};
const ChildInfo kBob{Endpoint{"10.0.2.2", 1214}, "bob"};
const ConnId kAliceConn{1};
const ConnId kBobConn{2};

SharedFile file(std::string name, std::uint8_t hash_byte) {
  SharedFile f{std::move(name), 1000u * hash_byte, {}};
  f.hash.fill(hash_byte);
  return f;
}
// "user:file" for each match, so a test reads who shares what.
std::set<std::string> found(const SupernodeIndex& index, std::string_view words, std::size_t cap = 200) {
  std::set<std::string> out;
  for (const IndexMatch& m : index.search(words, cap)) out.insert(m.owner->user + ":" + m.file->name);
  return out;
}

// Alice shares two songs and a film, Bob one of the same songs and another.
SupernodeIndex two_children() {
  SupernodeIndex index;
  index.add_child(kAliceConn, kAlice);
  index.add_child(kBobConn, kBob);
  EXPECT_TRUE(index.share(kAliceConn, file("Blue River - Song 17.mp3", 1)).ok());
  EXPECT_TRUE(index.share(kAliceConn, file("Red Sky.mp3", 2)).ok());
  EXPECT_TRUE(index.share(kAliceConn, file("river_film.avi", 3)).ok());
  EXPECT_TRUE(index.share(kBobConn, file("Blue River - Song 17.mp3", 1)).ok());
  EXPECT_TRUE(index.share(kBobConn, file("Green Hills.mp3", 4)).ok());
  return index;
}

TEST(SupernodeIndexTest, FindsChildrenFilesByKeywordWithTheirOwner) {
  SupernodeIndex index = two_children();
  EXPECT_EQ(index.children(), 2u);
  EXPECT_EQ(index.files(), 5u);
  EXPECT_EQ(index.bytes(), 1000u + 2000u + 3000u + 1000u + 4000u);  // for the network stats
  EXPECT_EQ(found(index, "river"),
            (std::set<std::string>{"alice:Blue River - Song 17.mp3", "bob:Blue River - Song 17.mp3",
                                   "alice:river_film.avi"}));
  // Every word must match, in any case.
  EXPECT_EQ(found(index, "BLUE song"),
            (std::set<std::string>{"alice:Blue River - Song 17.mp3", "bob:Blue River - Song 17.mp3"}));
  EXPECT_TRUE(found(index, "river hills").empty());
  // A match carries what a download needs: the owner's address and the content hash.
  auto matches = index.search("green", 10);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].owner->address, kBob.address);
  EXPECT_EQ(matches[0].file->hash, file("", 4).hash);
  EXPECT_EQ(matches[0].file->size, 4000u);
}

TEST(SupernodeIndexTest, SearchesStopAtTheCap) {
  SupernodeIndex index = two_children();
  EXPECT_EQ(index.search("mp3", 2).size(), 2u);
  EXPECT_EQ(index.search("mp3", 200).size(), 4u);
}

TEST(SupernodeIndexTest, UnshareRemovesOneFile) {
  SupernodeIndex index = two_children();
  ASSERT_TRUE(index.unshare(kAliceConn, "Red Sky.mp3").ok());
  EXPECT_TRUE(found(index, "sky").empty());
  EXPECT_FALSE(index.unshare(kAliceConn, "Red Sky.mp3").ok());  // not shared any more
  EXPECT_EQ(index.files(), 4u);
}

TEST(SupernodeIndexTest, ForgetsADepartedChildAndAllItsFiles) {
  SupernodeIndex index = two_children();
  EXPECT_EQ(index.remove_child(kAliceConn), 3u);
  EXPECT_EQ(index.children(), 1u);
  EXPECT_EQ(index.files(), 2u);
  // Bob's copy of the shared song is still found; Alice's files are not.
  EXPECT_EQ(found(index, "river"), (std::set<std::string>{"bob:Blue River - Song 17.mp3"}));
  EXPECT_TRUE(found(index, "film").empty());
  EXPECT_EQ(index.remove_child(kAliceConn), 0u);  // gone already
}

TEST(SupernodeIndexTest, RefusesSharesFromStrangersAndDuplicates) {
  SupernodeIndex index = two_children();
  EXPECT_FALSE(index.share(ConnId{9}, file("stray.mp3", 9)).ok());
  EXPECT_FALSE(index.share(kBobConn, file("Green Hills.mp3", 4)).ok());
  SupernodeIndex small(1);
  small.add_child(kAliceConn, kAlice);
  EXPECT_TRUE(small.share(kAliceConn, file("one.mp3", 1)).ok());
  EXPECT_FALSE(small.share(kAliceConn, file("two.mp3", 2)).ok());  // past the per-child limit
  EXPECT_EQ(found(index, "stray"), std::set<std::string>{});
}

}  // namespace
}  // namespace p2p::kazaa
