// The dashboard's three screens (overview, node detail, help), drawn on a Canvas.
#pragma once

#include <cstdint>
#include <string_view>

#include "labs/dashboard/canvas.h"
#include "labs/dashboard/lab_model.h"
#include "labs/dashboard/node_table.h"
#include "labs/dashboard/system_panel.h"

namespace p2p::dashboard {

// What a screen shows, gathered by DashboardApp for one frame.
struct ScreenView {
  const LabModel& lab;
  NodeTable& table;  // scrolled to keep the selection in view
  const PanelRegistry& panels;
  double now;
  std::uint64_t frame;
  std::string_view status;
  bool status_bad;
};

// Title bar, aggregate up/down sparklines, the node table and the event log; returns the table's height in
// rows.
int draw_overview(Canvas& canvas, const ScreenView& view);
// The selected node's common figures, then its system panel.
void draw_detail(Canvas& canvas, const ScreenView& view);
// Every key binding, from the same table that dispatches keys.
void draw_help(Canvas& canvas, const ScreenView& view);

}  // namespace p2p::dashboard
