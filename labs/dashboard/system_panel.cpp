// The panel registry, and drawing helpers every system panel shares.
#include "labs/dashboard/system_panel.h"

#include "labs/dashboard/format.h"
#include "labs/dashboard/generic_panel.h"

namespace p2p::dashboard {

void labelled(Area& area, int row, std::string_view label, const std::string& text, int text_column) {
  area.text(row, 0, std::string(label), Style::Bold);
  area.text(row, text_column, text);
}

PanelRegistry::PanelRegistry() : fallback_(std::make_unique<GenericPanel>()) {}

void PanelRegistry::add(std::string system, std::unique_ptr<SystemPanel> panel) {
  panels_[std::move(system)] = std::move(panel);
}

const SystemPanel& PanelRegistry::for_system(std::string_view system) const {
  auto it = panels_.find(system);
  return it == panels_.end() ? *fallback_ : *it->second;
}

void PanelRegistry::observe(const LoggedEvent& event) {
  auto it = panels_.find(event.system);
  if (it != panels_.end()) it->second->observe(event);
}

std::string node_listening_at(const LabModel& lab, const std::string& endpoint) {
  for (const auto& [id, node] : lab.nodes()) {
    if (node.listen == endpoint) return id;
  }
  return endpoint;
}

std::vector<const LoggedEvent*> recent_events(const Ring<LoggedEvent>& events, std::string_view name,
                                              std::size_t limit) {
  std::vector<const LoggedEvent*> found;
  for (std::size_t i = events.size(); i-- > 0 && found.size() < limit;) {
    if (name.empty() || events[i].name == name) found.push_back(&events[i]);
  }
  return found;
}

int draw_events(Area& area, int row, const std::vector<const LoggedEvent*>& events) {
  for (const LoggedEvent* event : events) {
    if (row >= area.rows()) break;
    std::string head = format_clock(event->t) + " " + fit(event->node, 10) + " " + fit(event->name, 14) + " ";
    std::size_t room = area.cols() > static_cast<int>(head.size()) ? area.cols() - head.size() : 0;
    area.text(row++, 0, head + summarize(event->data, room), Style::Normal);
  }
  return row;
}

}  // namespace p2p::dashboard
