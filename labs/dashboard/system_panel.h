// SystemPanel: how each P2P system shows itself in the dashboard (its table column and its detail view), and
// the registry that picks a panel by the system name in the telemetry records.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "labs/dashboard/canvas.h"
#include "labs/dashboard/lab_model.h"

namespace p2p::dashboard {

// The one figure that says most about a node of this system ("12k files" for a Napster server, "online" for
// a peer). `value` orders the table when sorting by this column.
struct KeyFigure {
  std::string text;
  double value = 0;
};

// What a panel may look at: the node, and the whole lab read-only (a server's panel lists the queries its
// peers report, for instance).
struct PanelContext {
  const Node& node;
  const LabModel& lab;
};

// One row of a panel's detail view: `label` in bold at the left edge, then `text` from column `text_column`.
void labelled(Area& area, int row, std::string_view label, const std::string& text, int text_column);

// One per system (napster, gnutella, bittorrent, ...). A panel reads the node's `sys` fields and events,
// which its system's core publishes through status() and telemetry().event(), and draws only through Area.
class SystemPanel {
 public:
  virtual ~SystemPanel() = default;
  // The detail view's heading: "Napster".
  virtual std::string_view title() const = 0;
  // The key figure column's header, at most 12 characters.
  virtual std::string_view key_figure_name() const = 0;
  virtual KeyFigure key_figure(const Node& node) const = 0;
  // Draws the node's details in `area` (below the common header of id, role, state, rates).
  virtual void draw(Area& area, const PanelContext& context) const = 0;
  // Sees every event of its system as it arrives, for a panel that adds up what many nodes report (the
  // reach of a Gnutella query). Called once per event: keep it cheap, and keep what it holds bounded.
  virtual void observe(const LoggedEvent& /*event*/) {}
};

// Panels by system name. A system without a panel gets the generic one, which lists every sys field.
class PanelRegistry {
 public:
  PanelRegistry();
  void add(std::string system, std::unique_ptr<SystemPanel> panel);
  const SystemPanel& for_system(std::string_view system) const;
  // Hands an event to its system's panel, if that system has one.
  void observe(const LoggedEvent& event);

 private:
  std::map<std::string, std::unique_ptr<SystemPanel>, std::less<>> panels_;
  std::unique_ptr<SystemPanel> fallback_;
};

// A registry holding every panel written so far; each system adds its line to builtin_panels.cpp.
PanelRegistry builtin_panels();

// Shared by panels: the lab's node listening at `endpoint` ("127.0.0.1:7001", from its "listening" event), or
// the endpoint itself when no node says it listens there.
std::string node_listening_at(const LabModel& lab, const std::string& endpoint);
// Shared by panels: the newest events named `name` (any name when empty), newest first, at most `limit`.
std::vector<const LoggedEvent*> recent_events(const Ring<LoggedEvent>& events, std::string_view name,
                                              std::size_t limit);
// Draws events one per line from `row` down, "HH:MM:SS node name key=value ...", until the area ends.
// Returns the row after the last one drawn.
int draw_events(Area& area, int row, const std::vector<const LoggedEvent*>& events);

}  // namespace p2p::dashboard
