// What each dashboard key does, and the launcher commands it sends.
#include "labs/dashboard/dashboard_app.h"

#include <map>

#include "labs/dashboard/json_fields.h"
#include "labs/dashboard/keymap.h"
#include "labs/dashboard/screens.h"

namespace p2p::dashboard {
namespace {

constexpr int kFlashCrowd = 10;  // issue 4: "`f` flash crowd of 10"

}  // namespace

DashboardApp::DashboardApp(PanelRegistry panels, bool owns_lab)
    : panels_(std::move(panels)), owns_lab_(owns_lab) {}

void DashboardApp::apply(nlohmann::json record, double now) {
  if (const LoggedEvent* event = lab_.apply(std::move(record), now)) panels_.observe(*event);
}

std::optional<nlohmann::json> DashboardApp::on_key(int key) {
  std::optional<Action> action = action_for(key);
  if (screen_ == Screen::Help) {
    // Any key closes the help, but `q` still quits: it means the same everywhere.
    if (action != Action::Quit) {
      screen_ = before_help_;
      return std::nullopt;
    }
  }
  if (!action) return std::nullopt;
  // Act on the rows as they are now, not as they were at the last frame.
  table_.refresh(lab_, panels_);
  return act(*action);
}

std::optional<nlohmann::json> DashboardApp::act(Action action) {
  switch (action) {
    case Action::Up:
      table_.move_selection(-1);
      break;
    case Action::Down:
      table_.move_selection(1);
      break;
    case Action::PageUp:
      table_.move_selection(-page_rows_);
      break;
    case Action::PageDown:
      table_.move_selection(page_rows_);
      break;
    case Action::First:
      table_.select_first();
      break;
    case Action::Last:
      table_.select_last();
      break;
    case Action::Detail:
      if (table_.selected() != nullptr) screen_ = Screen::Detail;
      break;
    case Action::Back:
      screen_ = Screen::Overview;
      break;
    case Action::Kill:
      return node_command("kill");
    case Action::Leave:
      return node_command("leave");
    case Action::Restart:
      return node_command("restart");
    case Action::SpawnOne: {
      const Node* node = table_.selected();
      std::string role = node != nullptr ? node->role : most_numerous_role();
      if (role.empty()) break;
      say("spawning one " + role);
      return nlohmann::json{{"cmd", "spawn"}, {"role", role}, {"count", 1}};
    }
    case Action::FlashCrowd: {
      std::string role = most_numerous_role();
      if (role.empty()) break;
      say("flash crowd: spawning " + std::to_string(kFlashCrowd) + " " + role);
      return nlohmann::json{{"cmd", "spawn"}, {"role", role}, {"count", kFlashCrowd}};
    }
    case Action::FilterRole:
      table_.cycle_role_filter(lab_.roles());
      say(table_.role_filter().empty() ? "showing all roles" : "showing role " + table_.role_filter());
      break;
    case Action::CycleSort:
      table_.cycle_sort();
      say("sorted by " + std::string(to_string(table_.sort())));
      break;
    case Action::Help:
      before_help_ = screen_;
      screen_ = Screen::Help;
      break;
    case Action::Quit:
      quitting_ = true;
      if (owns_lab_) return nlohmann::json{{"cmd", "quit"}};
      break;
  }
  return std::nullopt;
}

std::optional<nlohmann::json> DashboardApp::node_command(std::string_view cmd) {
  const Node* node = table_.selected();
  if (node == nullptr) {
    say("no node selected", true);
    return std::nullopt;
  }
  say(std::string(cmd) + " " + node->id + " sent");
  return nlohmann::json{{"cmd", cmd}, {"node", node->id}};
}

std::string DashboardApp::most_numerous_role() const {
  // A flash crowd is many more of the common kind (peers), never ten more index servers.
  std::map<std::string, std::size_t> counts;
  for (const auto& [id, node] : lab_.nodes()) ++counts[node.role];
  std::string best;
  std::size_t most = 0;
  for (const auto& [role, n] : counts) {
    if (!role.empty() && n > most) {
      best = role;
      most = n;
    }
  }
  return best;
}

void DashboardApp::on_reply(const nlohmann::json& request, const Expected<nlohmann::json>& reply) {
  std::string what = string_at(request, "cmd");
  if (std::string node = string_at(request, "node"); !node.empty()) what += " " + node;
  if (!reply) {
    say(what + ": " + reply.reason(), true);
  } else if (!flag_at(*reply, "ok")) {
    say(what + " refused: " + string_at(*reply, "error", "no reason given"), true);
  } else if (string_at(request, "cmd") == "nodes") {
    lab_.apply_node_list(*reply, now_);
  } else {
    say(what + ": ok");
  }
}

void DashboardApp::tick(double now) {
  now_ = now;
  if (now < next_sample_) return;
  lab_.sample_rates();
  next_sample_ = now + 1.0;
}

void DashboardApp::draw(Canvas& canvas, double now, std::uint64_t frame) {
  table_.refresh(lab_, panels_);
  ScreenView view{lab_, table_, panels_, now, frame, status_, status_bad_};
  switch (screen_) {
    case Screen::Overview:
      page_rows_ = std::max(1, draw_overview(canvas, view));
      break;
    case Screen::Detail:
      draw_detail(canvas, view);
      break;
    case Screen::Help:
      draw_help(canvas, view);
      break;
  }
}

void DashboardApp::say(std::string message, bool bad) {
  status_ = std::move(message);
  status_bad_ = bad;
}

}  // namespace p2p::dashboard
