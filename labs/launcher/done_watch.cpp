// DoneWatch: the nodes that have sent their role's done event.
#include "labs/launcher/done_watch.h"

#include "common/telemetry/fields.h"

namespace p2p::labs {

using telemetry::string_at;

DoneWatch::DoneWatch(const Scenario& scenario) {
  for (const RoleSpec& role : scenario.roles) {
    if (role.done_event.empty()) continue;
    event_of_role_[role.name] = role.done_event;
    done_events_.insert(role.done_event);
  }
}

void DoneWatch::observe(const nlohmann::json& record) {
  if (string_at(record, "kind") != "event") return;
  std::string event = string_at(record, "event");
  // Only the done events are kept: a lab sends others by the hundred thousand (a servent's query_seen).
  if (done_events_.contains(event)) sent_.emplace(string_at(record, "node"), std::move(event));
}

std::optional<std::string> DoneWatch::done(const nlohmann::json& nodes) const {
  std::set<std::string> roles;
  for (const nlohmann::json& node : nodes) {
    auto event = event_of_role_.find(string_at(node, "role"));
    if (event == event_of_role_.end()) continue;
    if (!sent_.contains({string_at(node, "id"), event->second})) return std::nullopt;
    roles.insert(event->first);
  }
  if (roles.empty()) return std::nullopt;
  std::string why;
  for (auto it = roles.begin(); it != roles.end(); ++it) {
    if (it != roles.begin()) why += std::next(it) == roles.end() ? " and " : ", ";
    why += "every " + *it + " sent " + event_of_role_.at(*it);
  }
  return why;
}

}  // namespace p2p::labs
