// DashboardApp: the dashboard without its terminal and sockets: keys in, launcher requests out, frames drawn
// on a Canvas. run_dashboard() wires it to ncurses and ZeroMQ.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/util/expected.h"
#include "labs/dashboard/canvas.h"
#include "labs/dashboard/keymap.h"
#include "labs/dashboard/lab_model.h"
#include "labs/dashboard/node_table.h"
#include "labs/dashboard/system_panel.h"

namespace p2p::dashboard {

enum class Screen { Overview, Detail, Help };

// Decides what each key means on the current screen and which launcher command it becomes (the command
// protocol of labs/launcher: {"cmd":"kill"|"leave"|"restart","node":..}, {"cmd":"spawn","role":..,"count":N},
// {"cmd":"quit"}), and remembers the launcher's last answer for the status bar.
class DashboardApp {
 public:
  DashboardApp(PanelRegistry panels, bool owns_lab);

  const LabModel& lab() const { return lab_; }
  const NodeTable& table() const { return table_; }
  Screen screen() const { return screen_; }
  bool quitting() const { return quitting_; }

  // One telemetry record: folded into the lab model, and its events shown to the system panels.
  void apply(nlohmann::json record, double now);
  // One key press (ASCII, or a keys:: constant). Returns the request for the launcher when the key asks for
  // one.
  std::optional<nlohmann::json> on_key(int key);
  // How the launcher answered `request`: shown in the status bar.
  void on_reply(const nlohmann::json& request, const Expected<nlohmann::json>& reply);
  // Samples the lab-wide rates for the sparklines once per second of `now` (the dashboard clock, seconds).
  void tick(double now);
  // Draws the current screen; `frame` is the frame counter shown in the status bar.
  void draw(Canvas& canvas, double now, std::uint64_t frame);

 private:
  std::optional<nlohmann::json> act(Action action);
  std::optional<nlohmann::json> node_command(std::string_view cmd);
  std::string most_numerous_role() const;
  void say(std::string message, bool bad = false);

  PanelRegistry panels_;
  bool owns_lab_;
  LabModel lab_;
  NodeTable table_;
  Screen screen_ = Screen::Overview;
  Screen before_help_ = Screen::Overview;
  bool quitting_ = false;
  std::string status_;
  bool status_bad_ = false;
  double now_ = 0;
  double next_sample_ = 0;
  int page_rows_ = 10;  // table rows on screen at the last frame, for PgUp/PgDn
};

}  // namespace p2p::dashboard
