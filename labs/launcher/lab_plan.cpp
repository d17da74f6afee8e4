// Planning a run: node ids, seeds, links, arrivals and churn, all from the scenario seed.
#include "labs/launcher/lab_plan.h"

#include <algorithm>
#include <cmath>

namespace p2p::labs {

Rng stream(std::uint64_t scenario_seed, Stream kind, std::size_t index) {
  // Each stream gets its own seed; Rng::for_node then separates the nodes within it.
  Rng base(scenario_seed ^ (0xd1b54a32d192ed03ULL * (static_cast<std::uint64_t>(kind) + 1)));
  return Rng::for_node(base.next(), index);
}

std::uint64_t node_seed(std::uint64_t scenario_seed, std::size_t index) {
  return stream(scenario_seed, Stream::NodeSeed, index).next();
}

namespace {

// Queues timeline line `line`: a share becomes a count of the role's nodes, and a window [at, until] its acts
// (the count's, one without) at uniform times in it, from the line's own stream, so each act picks its node
// when it comes, among those running then.
void push_timeline(const Scenario& scenario, TimedAction action, std::size_t line, Agenda& agenda) {
  if (action.share) {
    const RoleSpec* role = scenario.role(action.role);
    auto count =
        static_cast<std::size_t>(std::lround(*action.share / 100 * static_cast<double>(role->count)));
    if (count == 0) return;
    action.count = count;
    action.share.reset();
  }
  if (!action.until) {
    agenda.push(std::move(action));
    return;
  }
  Rng rng = stream(scenario.seed, Stream::Timeline, line);
  const double from = action.at, to = *action.until;
  const std::size_t acts = action.count.value_or(1);
  action.until.reset();
  if (action.count) action.count = 1;
  for (std::size_t i = 0; i < acts; ++i) {
    action.at = from + rng.uniform() * (to - from);
    agenda.push(action);
  }
}

}  // namespace

LabPlan plan_lab(const Scenario& scenario) {
  LabPlan plan;
  for (std::size_t r = 0; r < scenario.roles.size(); ++r) {
    const RoleSpec& role = scenario.roles[r];
    Rng link_rng = stream(scenario.seed, Stream::Link, r);
    Rng arrival_rng = stream(scenario.seed, Stream::Arrival, r);
    std::vector<std::string> links = role.link.assign(role.count, link_rng);
    std::vector<double> times = arrival_times(role.arrival, role.count, arrival_rng);
    for (std::size_t i = 0; i < times.size(); ++i) {
      PlannedNode node{node_id(role.name, i), role.name, plan.nodes.size(), links.empty() ? "" : links[i]};
      plan.agenda.push(
          TimedAction{role.start_at + times[i], TimedAction::Kind::Start, node.id, role.name, std::nullopt});
      plan.nodes.push_back(std::move(node));
    }
  }
  for (std::size_t line = 0; line < scenario.timeline.size(); ++line)
    push_timeline(scenario, scenario.timeline[line], line, plan.agenda);
  return plan;
}

std::optional<std::string> builtin_value(const Scenario& scenario, const PlannedNode& node,
                                         std::string_view name, const std::string& out_dir) {
  std::size_t index_in_role = std::stoul(node.id.substr(node.role.size() + 1));
  if (name == "id") return node.id;
  if (name == "role") return node.role;
  if (name == "index") return std::to_string(index_in_role);
  // A spawned node counts itself: the role has at least index + 1 nodes.
  if (name == "count") return std::to_string(std::max(scenario.role(node.role)->count, index_in_role + 1));
  if (name == "seed") return std::to_string(node_seed(scenario.seed, node.index));
  if (name == "out") return out_dir;
  if (name == "dir") return scenario.dir;
  return std::nullopt;
}

nlohmann::json start_facts(const Scenario& scenario, const PlannedNode& node) {
  nlohmann::json data = {{"node", node.id},
                         {"role", node.role},
                         {"link", node.link},
                         {"seed", node_seed(scenario.seed, node.index)}};
  if (!node.link.empty()) {
    const LinkProfile& link = scenario.profiles.at(node.link);
    data["up_kbps"] = link.up_kbps;
    data["down_kbps"] = link.down_kbps;
  }
  return data;
}

PlannedNode plan_extra_node(const Scenario& scenario, const RoleSpec& role, std::size_t index,
                            std::size_t index_in_role) {
  PlannedNode node{node_id(role.name, index_in_role), role.name, index, ""};
  if (!role.link.empty()) {
    Rng rng = stream(scenario.seed, Stream::Link, kPerNodeStreams + index);
    node.link = role.link.draw(rng);
  }
  return node;
}

std::vector<TimedAction> churn_actions(const ChurnSpec& churn, const std::string& node,
                                       const std::string& role, double started_at, std::uint64_t life,
                                       Rng& rng) {
  std::vector<TimedAction> actions;
  auto departure = draw_departure(churn, rng);
  if (!departure) return actions;
  double gone = started_at + departure->after;
  auto kind = departure->graceful ? TimedAction::Kind::Leave : TimedAction::Kind::Kill;
  actions.push_back(TimedAction{gone, kind, node, role, std::nullopt, life});
  if (departure->rejoin_after) {
    actions.push_back(TimedAction{gone + *departure->rejoin_after, TimedAction::Kind::Restart, node, role,
                                  std::nullopt, life});
  }
  return actions;
}

}  // namespace p2p::labs
