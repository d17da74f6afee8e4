// Tests of the overview table: natural id order, sort keys, role filter, a selection that follows its node,
// scrolling.
#include "labs/dashboard/node_table.h"

#include <gtest/gtest.h>

#include "tests/labs/dashboard/records.h"

namespace p2p::dashboard {
namespace {

using testing::status;

std::vector<std::string> ids(const NodeTable& table) {
  std::vector<std::string> out;
  for (const TableRow& row : table.rows()) out.push_back(row.node->id);
  return out;
}

class NodeTableTest : public ::testing::Test {
 protected:
  // A server and peers 1, 2 and 10, with peer-10 uploading fastest.
  void SetUp() override {
    lab_.apply(status("peer-10", "peer", 100, 9000), 1.0);
    lab_.apply(status("peer-2", "peer", 100, 2000), 2.0);
    lab_.apply(status("server-0", "server", 100, 100, 0, 0, {{"files", 500}}), 3.0);
    lab_.apply(status("peer-1", "peer", 100, 5000), 4.0);
    table_.refresh(lab_, panels_);
  }
  void sort_by(SortKey key) {
    while (table_.sort() != key) table_.cycle_sort();
    table_.refresh(lab_, panels_);
  }

  LabModel lab_;
  PanelRegistry panels_ = builtin_panels();
  NodeTable table_;
};

TEST(NaturalOrderTest, ComparesDigitRunsAsNumbers) {
  EXPECT_TRUE(natural_less("peer-2", "peer-10"));
  EXPECT_FALSE(natural_less("peer-10", "peer-2"));
  EXPECT_TRUE(natural_less("peer-9", "server-0"));
  EXPECT_TRUE(natural_less("peer", "peer-1"));
  EXPECT_FALSE(natural_less("peer-1", "peer-1"));
}

TEST_F(NodeTableTest, ListsNodesByIdWithNumbersInNumericOrder) {
  EXPECT_EQ(ids(table_), (std::vector<std::string>{"peer-1", "peer-2", "peer-10", "server-0"}));
  EXPECT_EQ(table_.selected()->id, "peer-1");
}

TEST_F(NodeTableTest, SortsRatesAndTheKeyFigureLargestFirst) {
  sort_by(SortKey::Up);
  EXPECT_EQ(ids(table_), (std::vector<std::string>{"peer-10", "peer-1", "peer-2", "server-0"}));
  // The Napster key figure of a server is its index size, so it leads this column.
  sort_by(SortKey::Figure);
  EXPECT_EQ(ids(table_).front(), "server-0");
  // "updated" shows the node heard from longest ago first.
  sort_by(SortKey::Updated);
  EXPECT_EQ(ids(table_).front(), "peer-10");
}

TEST_F(NodeTableTest, SortCyclesThroughEveryKeyAndBack) {
  std::vector<SortKey> seen{table_.sort()};
  for (int i = 0; i < 8; ++i) {
    table_.cycle_sort();
    seen.push_back(table_.sort());
  }
  EXPECT_EQ(seen.front(), SortKey::Id);
  EXPECT_EQ(seen.back(), SortKey::Id);
  EXPECT_EQ(std::string(to_string(seen[3])), "up");
}

TEST_F(NodeTableTest, SelectionStaysOnItsNodeWhenRowsResort) {
  // Select peer-2 (second row by id), then sort by upload rate where it is third.
  table_.move_selection(1);
  ASSERT_EQ(table_.selected()->id, "peer-2");
  sort_by(SortKey::Up);
  EXPECT_EQ(table_.selected()->id, "peer-2");
  EXPECT_EQ(table_.selected_index(), 2u);
  // A new node arriving above it does not move the selection off it either.
  lab_.apply(status("peer-0", "peer", 100, 99999), 5.0);
  table_.refresh(lab_, panels_);
  EXPECT_EQ(table_.selected()->id, "peer-2");
}

TEST_F(NodeTableTest, SelectionStopsAtBothEnds) {
  table_.move_selection(-5);
  EXPECT_EQ(table_.selected()->id, "peer-1");
  table_.move_selection(100);
  EXPECT_EQ(table_.selected()->id, "server-0");
  table_.select_first();
  EXPECT_EQ(table_.selected_index(), 0u);
  table_.select_last();
  EXPECT_EQ(table_.selected_index(), 3u);
}

TEST_F(NodeTableTest, RoleFilterCyclesThroughEachRoleThenAll) {
  table_.cycle_role_filter(lab_.roles());
  table_.refresh(lab_, panels_);
  EXPECT_EQ(table_.role_filter(), "peer");
  EXPECT_EQ(ids(table_), (std::vector<std::string>{"peer-1", "peer-2", "peer-10"}));

  table_.cycle_role_filter(lab_.roles());
  table_.refresh(lab_, panels_);
  EXPECT_EQ(ids(table_), (std::vector<std::string>{"server-0"}));
  // The selected peer is filtered out: the cursor lands on the row in its place.
  EXPECT_EQ(table_.selected()->id, "server-0");

  table_.cycle_role_filter(lab_.roles());
  table_.refresh(lab_, panels_);
  EXPECT_EQ(table_.role_filter(), "");
  EXPECT_EQ(table_.rows().size(), 4u);
}

TEST(NodeTableScrollTest, ScrollsJustEnoughToKeepTheSelectionInView) {
  LabModel lab;
  for (int i = 0; i < 50; ++i) lab.apply(status("peer-" + std::to_string(i), "peer", 100), 1.0);
  PanelRegistry panels = builtin_panels();
  NodeTable table;
  table.refresh(lab, panels);

  EXPECT_EQ(table.scroll_for(10), 0u);
  table.move_selection(12);  // row 12 of a 10-row window: it becomes the last visible row
  EXPECT_EQ(table.scroll_for(10), 3u);
  table.move_selection(-2);  // still visible: no scroll
  EXPECT_EQ(table.scroll_for(10), 3u);
  table.select_last();
  EXPECT_EQ(table.scroll_for(10), 40u);
  table.select_first();
  EXPECT_EQ(table.scroll_for(10), 0u);
  EXPECT_EQ(table.scroll_for(100), 0u);  // everything fits
}

}  // namespace
}  // namespace p2p::dashboard
