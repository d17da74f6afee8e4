// TreeRegistry: shallowest free slot first; forwarders before leaves at the root; an orphan's return drops
// its parent.
#include "coolstreaming/tree_registry.h"

#include <utility>
#include <vector>

namespace p2p::coolstreaming {

TreeRegistry::TreeRegistry(Endpoint root, std::size_t slots) : root_(root) {
  members_[root_] = Member{.slots = slots, .children = 0, .depth = 0, .parent = std::nullopt};
}

void TreeRegistry::drop(const Endpoint& node) {
  auto it = members_.find(node);
  if (it == members_.end() || node == root_) return;
  if (it->second.parent) {
    if (auto parent = members_.find(*it->second.parent);
        parent != members_.end() && parent->second.children > 0)
      --parent->second.children;
  }
  members_.erase(it);
}

std::optional<Endpoint> TreeRegistry::place(const Endpoint& node, std::size_t slots, bool orphan, Rng& rng) {
  if (auto it = members_.find(node); it != members_.end() && it->second.parent) {
    const Endpoint old = *std::exchange(it->second.parent, std::nullopt);
    if (orphan && old != root_) {
      drop(old);
    } else if (auto parent = members_.find(old); parent != members_.end() && parent->second.children > 0) {
      --parent->second.children;
    }
  }
  std::vector<Endpoint> shallowest;
  std::size_t best_depth = SIZE_MAX;
  for (const auto& [id, member] : members_) {
    if (id == node || member.children >= member.slots) continue;
    // A node never goes under its own subtree: the parent chain of a candidate must not pass through it.
    bool below_node = false;
    for (auto up = member.parent; up && !below_node;
         up = members_.count(*up) ? members_.at(*up).parent : std::nullopt)
      below_node = *up == node;
    if (below_node) continue;
    if (member.depth < best_depth) {
      best_depth = member.depth;
      shallowest.clear();
    }
    if (member.depth == best_depth) shallowest.push_back(id);
  }
  if (shallowest.empty()) return std::nullopt;
  const Endpoint parent = rng.pick(shallowest);
  ++members_[parent].children;
  Member& member = members_[node];
  member.slots = slots;
  member.depth = best_depth + 1;
  member.parent = parent;
  return parent;
}

std::optional<Endpoint> TreeRegistry::make_room_at_root(std::size_t slots) {
  const Member& root = members_.at(root_);
  if (slots == 0 || root.children < root.slots) return std::nullopt;
  std::optional<Endpoint> weakest;
  for (const auto& [id, member] : members_) {
    if (member.parent != root_ || member.children > 0 || member.slots >= slots) continue;
    if (!weakest || member.slots < members_.at(*weakest).slots) weakest = id;
  }
  if (weakest) drop(*weakest);
  return weakest;
}

std::optional<Endpoint> TreeRegistry::parent_of(const Endpoint& node) const {
  auto it = members_.find(node);
  return it == members_.end() ? std::nullopt : it->second.parent;
}

}  // namespace p2p::coolstreaming
