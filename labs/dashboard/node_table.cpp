// Filtering, sorting, selecting and scrolling the overview's node rows.
#include "labs/dashboard/node_table.h"

#include <algorithm>
#include <cctype>

namespace p2p::dashboard {
namespace {

constexpr SortKey kSortOrder[] = {SortKey::Id,   SortKey::Role,  SortKey::State,  SortKey::Up,
                                  SortKey::Down, SortKey::Conns, SortKey::Figure, SortKey::Updated};

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// Orders by `key` one way, with the id breaking ties so the order is total and rows never flicker.
template <typename Key>
bool by(const TableRow& a, const TableRow& b, Key key, bool largest_first) {
  auto ka = key(a);
  auto kb = key(b);
  if (ka != kb) return largest_first ? kb < ka : ka < kb;
  return natural_less(a.node->id, b.node->id);
}

}  // namespace

std::string_view to_string(SortKey key) {
  switch (key) {
    case SortKey::Id:
      return "id";
    case SortKey::Role:
      return "role";
    case SortKey::State:
      return "state";
    case SortKey::Up:
      return "up";
    case SortKey::Down:
      return "down";
    case SortKey::Conns:
      return "conns";
    case SortKey::Figure:
      return "figure";
    case SortKey::Updated:
      return "updated";
  }
  return "?";
}

bool natural_less(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      std::size_t ei = i, ej = j;
      while (ei < a.size() && is_digit(a[ei])) ++ei;
      while (ej < b.size() && is_digit(b[ej])) ++ej;
      std::string_view na = a.substr(i, ei - i), nb = b.substr(j, ej - j);
      while (na.size() > 1 && na.front() == '0') na.remove_prefix(1);
      while (nb.size() > 1 && nb.front() == '0') nb.remove_prefix(1);
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      i = ei;
      j = ej;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  if (a.size() - i != b.size() - j) return a.size() - i < b.size() - j;
  return a < b;  // "peer-01" and "peer-1": any fixed order will do
}

void NodeTable::refresh(const LabModel& lab, const PanelRegistry& panels) {
  rows_.clear();
  rows_.reserve(lab.nodes().size());
  for (const auto& [id, node] : lab.nodes()) {
    if (!role_filter_.empty() && node.role != role_filter_) continue;
    rows_.push_back({&node, panels.for_system(node.system).key_figure(node)});
  }
  sort_rows();
  auto it =
      std::find_if(rows_.begin(), rows_.end(), [&](const TableRow& r) { return r.node->id == selected_id_; });
  // A selected node that was filtered out hands the cursor to whichever row took its place.
  select_index(it != rows_.end() ? static_cast<std::size_t>(it - rows_.begin()) : selected_index_);
}

void NodeTable::sort_rows() {
  auto order = [this](const TableRow& a, const TableRow& b) {
    switch (sort_) {
      case SortKey::Id:
        return natural_less(a.node->id, b.node->id);
      case SortKey::Role:
        return by(
            a, b, [](const TableRow& r) { return r.node->role; }, false);
      case SortKey::State:
        return by(
            a, b, [](const TableRow& r) { return static_cast<int>(r.node->state); }, false);
      case SortKey::Up:
        return by(
            a, b, [](const TableRow& r) { return r.node->up_bps; }, true);
      case SortKey::Down:
        return by(
            a, b, [](const TableRow& r) { return r.node->down_bps; }, true);
      case SortKey::Conns:
        return by(
            a, b, [](const TableRow& r) { return r.node->conns; }, true);
      case SortKey::Figure:
        return by(
            a, b, [](const TableRow& r) { return r.figure.value; }, true);
      case SortKey::Updated:
        return by(
            a, b, [](const TableRow& r) { return r.node->last_update; }, false);
    }
    return false;
  };
  std::sort(rows_.begin(), rows_.end(), order);
}

const Node* NodeTable::selected() const {
  return rows_.empty() ? nullptr : rows_[selected_index_].node;
}

void NodeTable::select_index(std::size_t index) {
  if (rows_.empty()) {
    selected_index_ = 0;
    return;  // keep selected_id_: the node may come back when the filter changes
  }
  selected_index_ = std::min(index, rows_.size() - 1);
  selected_id_ = rows_[selected_index_].node->id;
}

void NodeTable::move_selection(int delta) {
  if (rows_.empty()) return;
  long target = static_cast<long>(selected_index_) + delta;
  select_index(static_cast<std::size_t>(std::clamp(target, 0L, static_cast<long>(rows_.size()) - 1)));
}

void NodeTable::cycle_sort() {
  auto it = std::find(std::begin(kSortOrder), std::end(kSortOrder), sort_);
  ++it;
  sort_ = it == std::end(kSortOrder) ? kSortOrder[0] : *it;
}

void NodeTable::cycle_role_filter(const std::vector<std::string>& roles) {
  auto it = std::find(roles.begin(), roles.end(), role_filter_);
  if (role_filter_.empty()) {
    role_filter_ = roles.empty() ? "" : roles.front();
  } else {
    role_filter_ = (it == roles.end() || it + 1 == roles.end()) ? "" : *(it + 1);
  }
}

std::size_t NodeTable::scroll_for(std::size_t page) {
  if (page == 0 || rows_.size() <= page) {
    scroll_ = 0;
    return scroll_;
  }
  if (selected_index_ < scroll_) scroll_ = selected_index_;
  if (selected_index_ >= scroll_ + page) scroll_ = selected_index_ - page + 1;
  scroll_ = std::min(scroll_, rows_.size() - page);
  return scroll_;
}

}  // namespace p2p::dashboard
