// The timeline of a lab: timed actions on nodes and roles (kill, leave, restart, spawn), and their queue.
#pragma once

#include <cstdint>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/expected.h"

namespace p2p::labs {

// One thing the launcher does at a moment of the run. Scenario timelines write them as
//   T kill NODE | T kill role:ROLE [N]      SIGKILL (N random live nodes of the role; all without N)
//   T leave NODE | T leave role:ROLE [N]    graceful leave (SIGTERM)
//   T restart NODE | T restart role:ROLE    start again under the same id and port
//   T spawn ROLE [N]                        N new nodes of the role (1 without N)
// T may be a window A..B: the line's N acts (one without N) then happen one by one at seeded random times in
// [A, B], each picking its own random node when it comes. N may be a share of the role's count, P% (rounded;
// 20% of 10 nodes is 2): "10..30 kill role:peer 20%" SIGKILLs a fifth of the peers at random times.
// The launcher also queues Start (a node's arrival) and churn's Kill/Leave/Restart of single nodes.
struct TimedAction {
  enum class Kind { Start, Kill, Leave, Restart, Spawn };
  double at = 0;  // seconds after the start of the run
  Kind kind = Kind::Start;
  std::string node;  // the one node acted on, or empty
  std::string role;  // the role acted on (role:ROLE targets and spawns), or empty
  std::optional<std::size_t> count;
  // Churn's actions belong to one life of a node (0: any): a departure drawn for a node that was killed and
  // restarted meanwhile no longer applies.
  std::uint64_t life = 0;
  std::optional<double> until =
      std::nullopt;  // the end of a window [at, until] (plan_lab spreads the acts over it)
  std::optional<double> share =
      std::nullopt;  // a count given as a percentage of the role's count (plan_lab resolves it)

  std::string text() const;
};

std::string_view to_string(TimedAction::Kind kind);

// Parses one timeline line ("30 kill server-0").
Expected<TimedAction> parse_action(std::string_view text);

// "peer-3" for the fourth peer; ids are how commands, telemetry and logs name nodes.
std::string node_id(std::string_view role, std::size_t index);
// The role of a node id, if it has the ROLE-INDEX form.
std::optional<std::string> role_of(std::string_view id);

// The actions still to come, earliest first; actions at the same moment keep the order they were queued in
// (the timeline's order, and a role's nodes in index order).
class Agenda {
 public:
  void push(TimedAction action);
  // Removes and returns every action due at `now` or before.
  std::vector<TimedAction> take_due(double now);
  std::optional<double> next_at() const;
  bool empty() const { return queue_.empty(); }

 private:
  struct Entry {
    TimedAction action;
    std::uint64_t order;
    bool operator>(const Entry& other) const {
      return action.at != other.action.at ? action.at > other.action.at : order > other.order;
    }
  };
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue_;
  std::uint64_t next_order_ = 0;
};

}  // namespace p2p::labs
