// Placement: which host each node of a lab spanning hosts runs on (labs/README.md, "A lab across the lab
// room"). Pure: the launcher's SSH side (remote_hosts.h) acts on what it decides.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/util/expected.h"
#include "labs/launcher/hosts.h"
#include "labs/launcher/lab_plan.h"
#include "labs/launcher/scenario.h"

namespace p2p::labs {

// A node's place: its host (an index into the hosts list) and its slot there, 0, 1, ... in the order nodes
// came to the host. The slot picks the node's SSH connection and its port on the host.
struct HostSlot {
  std::size_t host = 0;
  std::size_t slot = 0;
};

class Placement {
 public:
  // Pinned nodes (role.X.host) go to their host first; every other node then goes, in plan order, to the
  // host whose share of its capacity in use would be lowest (the first written on a tie), so hosts fill in
  // proportion to their capacities. Fails with one line when a pin names no host or the nodes do not fit.
  static Expected<Placement> make(const HostsConfig& hosts, const Scenario& scenario,
                                  const std::vector<PlannedNode>& nodes);

  // The place of the node with this plan index (PlannedNode::index).
  const HostSlot& of(std::size_t index) const { return places_.at(index); }
  // Places a node added while the lab runs (a spawn), the same way; fails when its host (or every host) is
  // full.
  Expected<HostSlot> add(const RoleSpec& role, std::size_t index);
  // How many slots the host has handed out.
  std::size_t used(std::size_t host) const { return used_.at(host); }

 private:
  explicit Placement(const HostsConfig& hosts);
  Expected<HostSlot> take(const RoleSpec& role);
  HostSlot take_on(std::size_t host);

  std::vector<HostSpec> hosts_;
  std::vector<std::size_t> used_;
  std::vector<HostSlot> places_;  // by plan index
};

}  // namespace p2p::labs
