// Drawing the overview, detail and help screens.
#include "labs/dashboard/screens.h"

#include <algorithm>
#include <optional>

#include "labs/dashboard/format.h"
#include "labs/dashboard/keymap.h"

namespace p2p::dashboard {
namespace {

// Table column widths; the key figure takes what is left of the line, up to kFigureMax.
constexpr std::size_t kId = 12, kHost = 8, kRole = 8, kState = 5, kRate = 7, kConns = 5, kAge = 5,
                      kFigureMax = 22;
// A lab across hosts has a host column after the node's id; a lab on one machine has none.
std::size_t host_width(bool hosts) {
  return hosts ? kHost + 1 : 0;
}
int state_column(bool hosts) {
  return static_cast<int>(kId + 1 + host_width(hosts) + kRole + 1);
}
// Fits 80 columns beside "frame N"; `?` lists the rest.
constexpr std::string_view kHint = "Enter detail  x kill  l leave  r restart  + spawn  f crowd  / role";

std::string rjust(const std::string& text, std::size_t width) {
  if (text.size() >= width) return text.substr(0, width);
  return std::string(width - text.size(), ' ') + text;
}

Style state_style(NodeState state) {
  switch (state) {
    case NodeState::Alive:
      return Style::Good;
    case NodeState::Dead:
      return Style::Bad;
    case NodeState::Left:
      return Style::Warn;
  }
  return Style::Normal;
}

std::string table_line(std::string_view id, std::optional<std::string_view> host, std::string_view role,
                       std::string_view state, const std::string& up, const std::string& down,
                       const std::string& conns, std::string_view figure, std::size_t figure_width,
                       const std::string& age) {
  return fit(id, kId) + " " + (host ? fit(*host, kHost) + " " : "") + fit(role, kRole) + " " +
         fit(state, kState) + " " + rjust(up, kRate) + " " + rjust(down, kRate) + " " + rjust(conns, kConns) +
         "  " + fit(figure, figure_width) + " " + rjust(age, kAge);
}

std::size_t figure_width(int cols, bool hosts) {
  std::size_t fixed = kId + kRole + kState + 2 * kRate + kConns + kAge + 8 + host_width(hosts);
  std::size_t room = cols > static_cast<int>(fixed) ? static_cast<std::size_t>(cols) - fixed : 0;
  return std::clamp<std::size_t>(room, 6, kFigureMax);
}

void status_bar(Area& screen, const ScreenView& view) {
  int row = screen.rows() - 1;
  std::string frame = "frame " + std::to_string(view.frame);
  screen.line(row, "", Style::Header);
  std::string message = view.status.empty() ? std::string(kHint) : std::string(view.status);
  int room = std::max(0, screen.cols() - static_cast<int>(frame.size()) - 2);
  screen.text(row, 0, fit(message, static_cast<std::size_t>(room)),
              view.status_bad ? Style::Bad : Style::Header);
  screen.text(row, screen.cols() - static_cast<int>(frame.size()), frame, Style::Header);
}

void rate_line(Area& screen, int row, std::string_view name, double now_bps,
               const std::vector<double>& history, Style style) {
  std::string label = fit(name, 5) + rjust(format_rate(now_bps), 6) + "bps ";
  screen.text(row, 0, label, Style::Bold);
  int room = std::max(0, screen.cols() - static_cast<int>(label.size()));
  screen.text(row, static_cast<int>(label.size()), sparkline(history, static_cast<std::size_t>(room)), style);
}

void draw_table(Area& area, const ScreenView& view) {
  const std::vector<TableRow>& rows = view.table.rows();
  bool hosts = std::any_of(rows.begin(), rows.end(), [](const TableRow& r) { return !r.node->host.empty(); });
  auto host_of = [hosts](std::string_view host) { return hosts ? std::optional(host) : std::nullopt; };
  std::size_t width = figure_width(area.cols(), hosts);
  std::string_view figure_name =
      rows.empty() ? "figure" : view.panels.for_system(rows[0].node->system).key_figure_name();
  std::size_t page = static_cast<std::size_t>(std::max(0, area.rows() - 1));
  std::size_t first = view.table.scroll_for(page);
  area.line(
      0,
      table_line("node", host_of("host"), "role", "state", "up", "down", "conns", figure_name, width, "last"),
      Style::Bold);
  if (rows.size() > page) {
    std::string where = " " + std::to_string(first + 1) + "-" +
                        std::to_string(std::min(first + page, rows.size())) + "/" +
                        std::to_string(rows.size()) + " ";
    area.text(0, area.cols() - static_cast<int>(where.size()), where, Style::Dim);
  }
  if (rows.empty()) area.text(1, 0, "waiting for telemetry from the lab...", Style::Dim);
  for (std::size_t i = 0; i < page && first + i < rows.size(); ++i) {
    const TableRow& row = rows[first + i];
    const Node& node = *row.node;
    bool alive = node.state == NodeState::Alive;
    std::string line = table_line(
        node.id, host_of(node.host), node.role, to_string(node.state), alive ? format_rate(node.up_bps) : "-",
        alive ? format_rate(node.down_bps) : "-", alive ? std::to_string(node.conns) : "-", row.figure.text,
        width, format_age(view.now - node.last_update));
    int y = static_cast<int>(i) + 1;
    bool selected = first + i == view.table.selected_index();
    area.line(y, line, selected ? Style::Selected : Style::Normal);
    if (!selected)
      area.text(y, state_column(hosts), fit(to_string(node.state), kState), state_style(node.state));
  }
}

void draw_log(Area& area, const LabModel& lab) {
  area.line(0, "Events (" + std::to_string(lab.events().size()) + " kept)", Style::Bold);
  std::vector<const LoggedEvent*> newest =
      recent_events(lab.events(), "", static_cast<std::size_t>(area.rows() - 1));
  std::reverse(newest.begin(), newest.end());  // oldest at the top, so new lines appear at the bottom
  draw_events(area, 1, newest);
}

}  // namespace

int draw_overview(Canvas& canvas, const ScreenView& view) {
  Area screen(canvas);
  const LabModel& lab = view.lab;
  std::string filter = view.table.role_filter().empty() ? "all" : view.table.role_filter();
  screen.line(0,
              " p2plab  nodes " + std::to_string(lab.nodes().size()) + ": " +
                  std::to_string(lab.count(NodeState::Alive)) + " alive " +
                  std::to_string(lab.count(NodeState::Dead)) + " dead " +
                  std::to_string(lab.count(NodeState::Left)) + " left   sort " +
                  std::string(to_string(view.table.sort())) + "   role " + filter + "   ? help",
              Style::Header);
  if (!lab.ended().empty())
    screen.line(0, " " + lab.ended(), Style::Bad);  // nothing runs any more: say so first

  std::vector<double> up, down;
  for (std::size_t i = 0; i < lab.history().size(); ++i) {
    up.push_back(lab.history()[i].up_bps);
    down.push_back(lab.history()[i].down_bps);
  }
  RateSample rates = lab.current_rates();
  rate_line(screen, 1, "up", rates.up_bps, up, Style::Good);
  rate_line(screen, 2, "down", rates.down_bps, down, Style::Warn);

  // Below the sparklines: the table, then the event log (a quarter of the screen), then the status bar.
  int log_rows = std::clamp((screen.rows() - 6) / 4, 2, 10) + 1;
  int table_rows = std::max(0, screen.rows() - 3 - log_rows - 1);
  Area table = screen.sub(3, 0, table_rows, screen.cols());
  draw_table(table, view);
  Area log = screen.sub(3 + table_rows, 0, log_rows, screen.cols());
  draw_log(log, lab);
  status_bar(screen, view);
  return std::max(0, table_rows - 1);
}

void draw_detail(Canvas& canvas, const ScreenView& view) {
  Area screen(canvas);
  const Node* node = view.table.selected();
  if (node == nullptr) {
    screen.line(0, " p2plab  no node selected   Esc back", Style::Header);
    status_bar(screen, view);
    return;
  }
  const SystemPanel& panel = view.panels.for_system(node->system);
  screen.line(0,
              " p2plab  " + node->id + "  " + node->system + " " + node->role + "   [" +
                  std::string(panel.title()) + "]   j/k next node  Esc back  ? help",
              Style::Header);
  screen.text(1, 1, "state", Style::Bold);
  screen.text(1, 7, std::string(to_string(node->state)), state_style(node->state));
  screen.text(1, 14,
              "pid " + (node->pid > 0 ? std::to_string(node->pid) : std::string("-")) + "   listen " +
                  (node->listen.empty() ? std::string("-") : node->listen) +
                  (node->host.empty() ? std::string() : "   host " + node->host) + "   restarts " +
                  std::to_string(node->restarts) + "   heard " + format_age(view.now - node->last_update) +
                  " ago");
  screen.text(2, 1,
              "up " + format_rate(node->up_bps) + "bps   down " + format_rate(node->down_bps) +
                  "bps   conns " + std::to_string(node->conns));
  Area area = screen.sub(4, 1, screen.rows() - 5, screen.cols() - 2);
  panel.draw(area, PanelContext{*node, view.lab});
  status_bar(screen, view);
}

void draw_help(Canvas& canvas, const ScreenView& view) {
  Area screen(canvas);
  screen.line(0, " p2plab dashboard: keys   (any key closes this help)", Style::Header);
  int row = 2;
  for (const Binding& binding : bindings()) {
    screen.text(row, 2, fit(binding.keys_label, 18), Style::Bold);
    screen.text(row++, 20, std::string(binding.help));
  }
  ++row;
  screen.text(row++, 2, "`k` moves up (vi keys), so kill -9 is `x` or `K`.", Style::Dim);
  screen.text(row++, 2, "Rates are bits per second. Commands act on the highlighted node,", Style::Dim);
  screen.text(row, 2, "which stays highlighted while the table re-sorts.", Style::Dim);
  status_bar(screen, view);
}

}  // namespace p2p::dashboard
