// TreeRegistry: shallowest free slot first, no child for a node without upload, forwarders before leaves at
// the root, and an orphan's return dropping its parent.
#include "coolstreaming/tree_registry.h"

#include <gtest/gtest.h>

#include <map>

namespace p2p::coolstreaming {
namespace {

const Endpoint kRoot{"127.0.0.1", 9000};

Endpoint node(std::uint8_t n) {
  return Endpoint{"10.0.0." + std::to_string(n), 7000};
}

TEST(TreeRegistryTest, FillsTheRootThenTheShallowestMembersWithSpareSlots) {
  Rng rng(1);
  TreeRegistry tree(kRoot, 2);
  EXPECT_EQ(tree.place(node(1), 2, false, rng), kRoot);
  EXPECT_EQ(tree.place(node(2), 2, false, rng), kRoot);
  // The root is full: the next four go one level down, under 1 or 2, two each.
  std::map<Endpoint, int> under;
  for (std::uint8_t n = 3; n <= 6; ++n) ++under[*tree.place(node(n), 2, false, rng)];
  EXPECT_EQ(under[node(1)], 2);
  EXPECT_EQ(under[node(2)], 2);
  EXPECT_NE(tree.place(node(7), 0, false, rng), kRoot);
}

TEST(TreeRegistryTest, NeverPlacesAChildUnderANodeWithoutUploadAndRefusesWhenFull) {
  Rng rng(1);
  TreeRegistry tree(kRoot, 1);
  EXPECT_EQ(tree.place(node(1), 0, false, rng), kRoot);  // --no-upload: no slot
  EXPECT_EQ(tree.place(node(2), 3, false, rng), std::nullopt);
}

// The first arrivals may be leaves (an adsl line forwards no whole stream): a forwarder that finds the root
// full takes the slot of its weakest childless child, and the tree grows below it.
TEST(TreeRegistryTest, AForwarderTakesTheRootSlotOfAChildlessLeaf) {
  Rng rng(1);
  TreeRegistry tree(kRoot, 2);
  EXPECT_EQ(tree.place(node(1), 0, false, rng), kRoot);
  EXPECT_EQ(tree.place(node(2), 1, false, rng), kRoot);
  EXPECT_EQ(tree.place(node(3), 0, false, rng), node(2));
  EXPECT_EQ(tree.place(node(4), 4, false, rng), std::nullopt) << "every slot is taken";
  EXPECT_EQ(tree.make_room_at_root(4), node(1)) << "the leaf, not node 2, which has a child";
  EXPECT_EQ(tree.parent_of(node(1)), std::nullopt);
  EXPECT_EQ(tree.place(node(4), 4, false, rng), kRoot);
  EXPECT_EQ(tree.place(node(1), 0, false, rng), node(4)) << "the displaced leaf joins again below";

  EXPECT_EQ(tree.make_room_at_root(0), std::nullopt) << "a leaf never displaces anyone";
  EXPECT_EQ(tree.make_room_at_root(4), std::nullopt) << "no child of the root forwards less and is childless";
}

TEST(TreeRegistryTest, AnOrphansReturnDropsItsParentAndFreesTheSlotsAboveIt) {
  Rng rng(1);
  TreeRegistry tree(kRoot, 1);
  tree.place(node(1), 1, false, rng);  // root -> 1
  tree.place(node(2), 1, false, rng);  // 1 -> 2
  ASSERT_EQ(tree.parent_of(node(2)), node(1));
  // 1 died: 2 comes back as an orphan and takes the root's slot that 1 held.
  EXPECT_EQ(tree.place(node(2), 1, true, rng), kRoot);
  EXPECT_EQ(tree.parent_of(node(1)), std::nullopt);
  EXPECT_EQ(tree.size(), 2u);
}

TEST(TreeRegistryTest, AFreshNodeAtAKnownAddressGivesUpItsSlotButLeavesItsParentAlone) {
  Rng rng(1);
  TreeRegistry tree(kRoot, 1);
  tree.place(node(1), 1, false, rng);                      // root -> 1
  tree.place(node(2), 1, false, rng);                      // 1 -> 2
  EXPECT_EQ(tree.place(node(2), 1, false, rng), node(1));  // restarted: back under 1, whose slot it freed
  EXPECT_EQ(tree.size(), 3u);
}

}  // namespace
}  // namespace p2p::coolstreaming
