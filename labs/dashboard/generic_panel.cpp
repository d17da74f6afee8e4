// The generic panel: a node's status fields and events, for systems without their own panel.
#include "labs/dashboard/generic_panel.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "labs/dashboard/format.h"

namespace p2p::dashboard {
namespace {

using Field = std::pair<std::string, std::string>;

void flatten(const nlohmann::json& object, const std::string& prefix, std::vector<Field>& out) {
  for (const auto& [key, value] : object.items()) {
    std::string name = prefix.empty() ? key : prefix + "." + key;
    if (value.is_object() && !value.empty()) {
      flatten(value, name, out);
    } else {
      out.emplace_back(name, format_value(value));
    }
  }
}

}  // namespace

KeyFigure GenericPanel::key_figure(const Node& node) const {
  if (auto it = node.sys.find("state"); it != node.sys.end() && it->is_string())
    return {it->get<std::string>(), 0};
  for (const auto& [key, value] : node.sys.items()) {
    if (value.is_structured()) continue;
    return {key + "=" + format_value(value), value.is_number() ? value.get<double>() : 0};
  }
  return {"-", 0};
}

void GenericPanel::draw(Area& area, const PanelContext& context) const {
  std::vector<Field> fields;
  flatten(context.node.sys, "", fields);
  // Two columns when the terminal is wide enough, so a long status still leaves room for events.
  int columns = area.cols() >= 100 ? 2 : 1;
  int width = area.cols() / columns;
  std::size_t name_width = 0;
  for (const auto& [name, value] : fields) name_width = std::max(name_width, name.size());
  name_width = std::min<std::size_t>(name_width, static_cast<std::size_t>(std::max(width / 2, 1)));

  int field_rows = (static_cast<int>(fields.size()) + columns - 1) / columns;
  int event_rows = std::min(static_cast<int>(context.node.events.size()) + 1, area.rows() / 3);
  int shown_rows = std::min(field_rows, area.rows() - event_rows - 1);
  area.text(0, 0, "Status fields", Style::Bold);
  for (int i = 0; i < static_cast<int>(fields.size()); ++i) {
    int row = 1 + i % std::max(field_rows, 1);
    if (row > shown_rows) continue;
    const auto& [name, value] = fields[static_cast<std::size_t>(i)];
    area.text(row, (i / std::max(field_rows, 1)) * width, fit(name, name_width) + "  " + value);
  }
  if (event_rows <= 0) return;
  int row = 1 + std::max(shown_rows, 0) + 1;
  area.text(row, 0, "Recent events", Style::Bold);
  draw_events(area, row + 1, recent_events(context.node.events, "", kEventsPerNode));
}

}  // namespace p2p::dashboard
