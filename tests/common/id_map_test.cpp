// IdMap keeps std::map's order and stable references, for the connections a core looks up on every frame.
#include "common/util/id_map.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "common/util/ids.h"

namespace p2p {
namespace {

using Map = IdMap<ConnId, std::string>;

std::vector<std::uint64_t> ids_of(const Map& map) {
  std::vector<std::uint64_t> out;
  for (const auto& [id, value] : map) out.push_back(id.value);
  return out;
}

TEST(IdMapTest, WalksInAscendingIdOrderWhateverTheOrderOfInserts) {
  Map map;
  for (std::uint64_t id : {5, 1, 9, 3}) map.try_emplace(ConnId(id), "conn " + std::to_string(id));
  EXPECT_EQ(ids_of(map), (std::vector<std::uint64_t>{1, 3, 5, 9}));
  EXPECT_EQ(map.at(ConnId(9)), "conn 9");
}

TEST(IdMapTest, TryEmplaceKeepsAnExistingValue) {
  Map map;
  auto [first, fresh] = map.try_emplace(ConnId(2), "first");
  auto [again, fresh_again] = map.try_emplace(ConnId(2), "second");
  EXPECT_TRUE(fresh);
  EXPECT_FALSE(fresh_again);
  EXPECT_EQ(again->second, "first");
  EXPECT_EQ(map.size(), 1u);
}

TEST(IdMapTest, FindsPresentIdsAndNotAbsentOnes) {
  Map map;
  for (std::uint64_t id = 1; id <= 4; ++id) map.try_emplace(ConnId(id), "x");
  EXPECT_NE(map.find(ConnId(3)), map.end());
  EXPECT_EQ(map.find(ConnId(0)), map.end());
  EXPECT_EQ(map.find(ConnId(7)), map.end());
  EXPECT_TRUE(map.contains(ConnId(4)));
  EXPECT_FALSE(std::as_const(map).contains(ConnId(5)));
}

TEST(IdMapTest, AReferenceOutlivesOtherEntriesComingAndGoing) {
  Map map;
  map.try_emplace(ConnId(1), "one");
  std::string& kept = map.at(ConnId(1));
  for (std::uint64_t id = 2; id < 100; ++id) map.try_emplace(ConnId(id), "more");
  for (std::uint64_t id = 2; id < 50; ++id) EXPECT_EQ(map.erase(ConnId(id)), 1u);
  EXPECT_EQ(&kept, &map.at(ConnId(1)));
  EXPECT_EQ(kept, "one");
}

TEST(IdMapTest, EraseByIteratorReturnsTheNextEntry) {
  Map map;
  for (std::uint64_t id = 1; id <= 3; ++id) map.try_emplace(ConnId(id), "x");
  auto next = map.erase(map.find(ConnId(2)));
  ASSERT_NE(next, map.end());
  EXPECT_EQ(next->first, ConnId(3));
  EXPECT_EQ(map.erase(ConnId(2)), 0u);
  EXPECT_EQ(ids_of(map), (std::vector<std::uint64_t>{1, 3}));
  map.clear();
  EXPECT_TRUE(map.empty());
}

TEST(IdMapTest, WorksWithRangeAlgorithms) {
  Map map;
  for (std::uint64_t id = 1; id <= 5; ++id) map.try_emplace(ConnId(id), id % 2 == 0 ? "even" : "odd");
  EXPECT_EQ(std::ranges::count_if(map, [](const auto& entry) { return entry.second == "odd"; }), 3);
}

}  // namespace
}  // namespace p2p
