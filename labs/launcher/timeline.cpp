// Timeline actions: their text form and the agenda.
#include "labs/launcher/timeline.h"

#include <cctype>
#include <sstream>

#include "labs/launcher/text.h"

namespace p2p::labs {

std::string_view to_string(TimedAction::Kind kind) {
  switch (kind) {
    case TimedAction::Kind::Start:
      return "start";
    case TimedAction::Kind::Kill:
      return "kill";
    case TimedAction::Kind::Leave:
      return "leave";
    case TimedAction::Kind::Restart:
      return "restart";
    case TimedAction::Kind::Spawn:
      return "spawn";
  }
  return "?";
}

std::string TimedAction::text() const {
  std::ostringstream out;
  out << at;
  if (until) out << ".." << *until;
  out << " " << to_string(kind) << " ";
  if (kind == Kind::Spawn) {
    out << role;
  } else {
    out << (node.empty() ? "role:" + role : node);
  }
  if (count) out << " " << *count;
  if (share) out << " " << *share << "%";
  return out.str();
}

std::string node_id(std::string_view role, std::size_t index) {
  return std::string(role) + "-" + std::to_string(index);
}

std::optional<std::string> role_of(std::string_view id) {
  auto dash = id.rfind('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == id.size()) return std::nullopt;
  for (char c : id.substr(dash + 1)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  return std::string(id.substr(0, dash));
}

Expected<TimedAction> parse_action(std::string_view text) {
  std::vector<std::string> w = words(text);
  auto fail = [&](const std::string& why) {
    return make_error("timeline '" + std::string(trim(text)) + "': " + why +
                      " (expected 'T kill|leave|restart NODE|role:ROLE [N|P%]' or 'T spawn ROLE [N]';"
                      " T may be a window A..B)");
  };
  if (w.size() < 3 || w.size() > 4) return fail("wrong number of words");
  TimedAction action;
  auto dots = w[0].find("..");
  auto at = parse_number(w[0].substr(0, dots), "time");
  if (!at) return fail(at.reason());
  if (*at < 0) return fail("the time cannot be negative");
  action.at = *at;
  if (dots != std::string::npos) {
    auto until = parse_number(w[0].substr(dots + 2), "window end");
    if (!until) return fail(until.reason());
    if (*until < *at) return fail("the window ends before it begins");
    action.until = *until;
  }
  const std::string& verb = w[1];
  if (verb == "kill") {
    action.kind = TimedAction::Kind::Kill;
  } else if (verb == "leave") {
    action.kind = TimedAction::Kind::Leave;
  } else if (verb == "restart") {
    action.kind = TimedAction::Kind::Restart;
  } else if (verb == "spawn") {
    action.kind = TimedAction::Kind::Spawn;
  } else {
    return fail("unknown action '" + verb + "'");
  }
  if (w.size() == 4 && w[3].size() > 1 && w[3].back() == '%') {
    auto share = parse_number(w[3].substr(0, w[3].size() - 1), "share");
    if (!share) return fail(share.reason());
    if (!(*share > 0 && *share <= 100)) return fail("the share must be above 0% and at most 100%");
    action.share = *share;
  } else if (w.size() == 4) {
    auto n = parse_count(w[3], "count");
    if (!n) return fail(n.reason());
    if (*n == 0) return fail("the count must be at least 1");
    action.count = *n;
  }
  const std::string& target = w[2];
  if (action.kind == TimedAction::Kind::Spawn) {
    if (action.share) return fail("spawn takes a count, not a share");
    action.role = target;
    if (!action.count) action.count = 1;
    return action;
  }
  if (target.rfind("role:", 0) == 0 && target.size() > 5) {
    action.role = target.substr(5);
    if (action.kind == TimedAction::Kind::Restart && (action.count || action.share))
      return fail("restart takes no count");
    return action;
  }
  auto role = role_of(target);
  if (!role) return fail("'" + target + "' is neither a node id (ROLE-INDEX) nor role:ROLE");
  if (action.count || action.share) return fail("a count goes with role:ROLE, not with one node");
  action.node = target;
  action.role = *role;
  return action;
}

void Agenda::push(TimedAction action) {
  queue_.push(Entry{std::move(action), next_order_++});
}

std::vector<TimedAction> Agenda::take_due(double now) {
  std::vector<TimedAction> due;
  while (!queue_.empty() && queue_.top().action.at <= now) {
    due.push_back(queue_.top().action);
    queue_.pop();
  }
  return due;
}

std::optional<double> Agenda::next_at() const {
  if (queue_.empty()) return std::nullopt;
  return queue_.top().action.at;
}

}  // namespace p2p::labs
