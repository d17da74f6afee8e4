// DoneWatch: whether a lab's work is done, so that its run can end before its duration (role.NAME.done).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "labs/launcher/scenario.h"

namespace p2p::labs {

// Follows a run's records and tells when every node of each role that names a done event (RoleSpec::
// done_event, such as BitTorrent's `completed`) has sent that event at least once. A node that dies first
// keeps the run going until its duration: its work was not done.
class DoneWatch {
 public:
  explicit DoneWatch(const Scenario& scenario);

  // Whether some role names a done event.
  bool enabled() const { return !event_of_role_.empty(); }
  void observe(const nlohmann::json& record);
  // If every node of those roles in `nodes` (Supervisor::node_list(): every node the run has made, those
  // still waiting for their arrival too) has sent its role's event, and there is at least one: why the run
  // may end, for the summary's ended_by ("every leecher sent completed"). Otherwise nothing.
  std::optional<std::string> done(const nlohmann::json& nodes) const;

 private:
  std::map<std::string, std::string, std::less<>> event_of_role_;
  std::set<std::string, std::less<>> done_events_;  // the events of event_of_role_, to filter records by
  std::set<std::pair<std::string, std::string>, std::less<>> sent_;  // (node, event)
};

}  // namespace p2p::labs
