// The plan of a run before it starts: every initial node (id, seed, link), and the agenda of arrivals and the
// timeline; plus the per-node draws made while it runs (links of spawned nodes, churn).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/util/random.h"
#include "labs/launcher/scenario.h"
#include "labs/launcher/timeline.h"

namespace p2p::labs {

// The launcher's independent random streams, so that adding a role or a timeline line does not change the
// draws of the others: a run replays from the scenario seed alone.
enum class Stream : std::uint64_t {
  NodeSeed = 0,
  Link = 1,
  Arrival = 2,
  Churn = 3,
  Pick = 4,
  Topology = 5,
  Timeline = 6
};
Rng stream(std::uint64_t scenario_seed, Stream kind, std::size_t index);
// Where a kind's per-node streams start (at this offset plus the node's index), after its per-role ones.
constexpr std::size_t kPerNodeStreams = 1'000'000;

// The --seed of the node with this index (docs/ARCHITECTURE.md, "Seeds": derived from the scenario seed and
// the node's index).
std::uint64_t node_seed(std::uint64_t scenario_seed, std::size_t index);

struct PlannedNode {
  std::string id;  // "peer-3"
  std::string role;
  std::size_t index = 0;  // over the whole lab, in start order; the seed and the launcher's draws use it
  std::string link;       // a profile name, or empty for no shaping
};

struct LabPlan {
  std::vector<PlannedNode> nodes;
  Agenda agenda;  // a Start for each node at its arrival, and the scenario's timeline
};

// Roles in order, each role's nodes in index order; links split by LinkMix::assign, arrivals drawn per role.
LabPlan plan_lab(const Scenario& scenario);

// The value of a built-in placeholder of `node`'s args (args_template.h: {id} {role} {index} {count} {seed}
// {out} {dir}), or nothing for an unknown name.
std::optional<std::string> builtin_value(const Scenario& scenario, const PlannedNode& node,
                                         std::string_view name, const std::string& out_dir);

// The data of the launcher's node_started (or node_restarted) event: the node, its role, its seed, and its
// link with the figures it got, so that a summary can weigh what was used against what was there.
nlohmann::json start_facts(const Scenario& scenario, const PlannedNode& node);

// A node added while the lab runs (a spawn): the next index, and a link drawn from the role's mix.
PlannedNode plan_extra_node(const Scenario& scenario, const RoleSpec& role, std::size_t index,
                            std::size_t index_in_role);

// What churn does to a node that started at `started_at`: its departure (kill or leave) and, when the role
// rejoins, its restart. Empty for roles without churn. `rng` is the node's own churn stream; `life` counts
// the node's starts and tags the actions.
std::vector<TimedAction> churn_actions(const ChurnSpec& churn, const std::string& node,
                                       const std::string& role, double started_at, std::uint64_t life,
                                       Rng& rng);

}  // namespace p2p::labs
