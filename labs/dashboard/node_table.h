// NodeTable: the overview's rows: which nodes are shown (role filter), in what order (sort key), which one is
// selected and which slice is scrolled into view.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "labs/dashboard/lab_model.h"
#include "labs/dashboard/system_panel.h"

namespace p2p::dashboard {

enum class SortKey { Id, Role, State, Up, Down, Conns, Figure, Updated };
std::string_view to_string(SortKey key);

struct TableRow {
  const Node* node;
  KeyFigure figure;
};

// "peer-2" before "peer-10": ids compare with their digit runs as numbers.
bool natural_less(std::string_view a, std::string_view b);

// Keeps the selection on the same node while rows are re-sorted and new nodes arrive, so the node under the
// cursor is the one a kill key hits. Names sort ascending; rates, connections and the key figure sort largest
// first; "updated" puts the node heard from longest ago first, to spot stuck nodes.
class NodeTable {
 public:
  // Rebuilds the rows from the model. Cheap enough to call every frame for 500 nodes.
  void refresh(const LabModel& lab, const PanelRegistry& panels);

  const std::vector<TableRow>& rows() const { return rows_; }
  const Node* selected() const;
  std::size_t selected_index() const { return selected_index_; }

  void move_selection(int delta);
  void select_first() { move_selection(-static_cast<int>(rows_.size())); }
  void select_last() { move_selection(static_cast<int>(rows_.size())); }

  // The sort key and the role filter take effect at the next refresh().
  SortKey sort() const { return sort_; }
  void cycle_sort();
  // Steps the filter through "all" then each role in `roles`, and back to "all".
  void cycle_role_filter(const std::vector<std::string>& roles);
  const std::string& role_filter() const { return role_filter_; }  // empty: all roles

  // The first row to draw so that the selection shows in a window of `page` rows; moves as little as
  // possible.
  std::size_t scroll_for(std::size_t page);

 private:
  void sort_rows();
  void select_index(std::size_t index);

  std::vector<TableRow> rows_;
  SortKey sort_ = SortKey::Id;
  std::string role_filter_;
  std::string selected_id_;
  std::size_t selected_index_ = 0;
  std::size_t scroll_ = 0;
};

}  // namespace p2p::dashboard
