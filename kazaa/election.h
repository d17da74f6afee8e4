// Election: when a `--role auto` KaZaA node becomes a supernode, and when a supernode steps down.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "common/util/time.h"

namespace p2p::kazaa {

enum class Role { Ordinary, Super };

struct ElectionConfig {
  // What makes a node able to serve: "more bandwidth and uptime, not behind NAT or a firewall"
  // (PROTOCOLS.md). The figures are p2plab's; FastTrack's are not published.
  std::uint64_t min_upload_bps = 1'000'000;  // bits/s, as the emulated links are given
  Duration min_uptime = seconds(60);
  std::size_t children_per_super = 100;  // --children-per-super: the ratio the network aims at
  // A supernode is underloaded below this share of children_per_super children.
  double underloaded_share = 0.25;
  // It steps down only if the other supernodes could then take every ordinary node at no more than this
  // share of children_per_super each. Below 1, so that stepping down never recreates the shortage that
  // would promote a node again.
  double demote_fill = 0.5;
  // A condition must hold this long before the node acts on it (a minimum for the fastest nodes, see below).
  Duration settle = seconds(20);
  // A new supernode keeps its role at least this long: it starts with no children and needs time to gain
  // some.
  Duration min_tenure = seconds(120);
};

// What the node knows of itself.
struct NodeView {
  std::uint64_t upload_bps = 0;  // its link's upload cap; 0 is uncapped, the fastest there is
  Duration uptime{};
  bool reachable = false;  // accepts inbound connections: not behind NAT or a firewall
};

// What the node sees of the network, e.g. from its supernode's network stats.
struct NetworkView {
  std::size_t supernodes = 0;
  std::size_t ordinary_nodes = 0;
  // An ordinary node that is no one's child: how long ago the latest of its join rounds that ran out of
  // supernodes to try began, a full one among those that refused it (AttachPolicy::stranded_round). Empty
  // when attached, and before the first such round.
  std::optional<Duration> stranded_round{};
};

enum class ElectionDecision {
  Stay,
  Promote,  // become a supernode: accept children, link to other supernodes
  Demote,   // hand the children off (refuse them, naming other supernodes) and attach as an ordinary node
};

// Decides promotion and demotion for nodes started with `--role auto` (PROTOCOLS.md, KaZaA "Promotion";
// Liang, Kumar, Ross 2006: supernodes are the nodes with more bandwidth and uptime and a public address).
//   - An ordinary node is eligible with upload >= min_upload_bps, uptime >= min_uptime and a reachable port.
//     It promotes when the network has too few supernodes for children_per_super (or none at all), or when it
//     is stranded, and that has held for `settle` scaled by min_upload_bps / upload: a node twice as fast as
//     the minimum waits half as long (at most 8 times shorter, as for an uncapped link), so the fastest step
//     up first and the stats they cause stop the slower ones.
//   - Stranded: refused by a full supernode and by every other it knows. The network's user count comes only
//     in the stats a supernode sends its children, so a node that no supernode takes never hears of the
//     shortage; the refusals are what it sees of it. Without this rule the nodes a full supernode turns away
//     stay orphans for good (labs/04-kazaa/README.md, the children_per_super sweep). A full supernode turns
//     many away at once, so many are stranded together: each promotes only once a join round begun after
//     its wait also ended stranded, so that it has looked for the supernodes that stepped up meanwhile
//     (a stranded node retries every AttachPolicyConfig::stranded_retry_after). The measurements say which
//     nodes become supernodes, not what makes one step up: this trigger is p2plab's own.
//   - A supernode that has served min_tenure demotes when it has been underloaded for `settle` and the others
//     could take every ordinary node, itself included, filling at most demote_fill of their capacity.
// Hysteresis both ways: each condition must hold for a while, the counters reset when it fails, and the two
// thresholds leave a band between them, so a node that just changed role does not change back on the next
// observation. Time is passed in.
class Election {
 public:
  explicit Election(ElectionConfig config = {}, Role role = Role::Ordinary) : config_(config), role_(role) {}

  // A fresh observation; `children` is how many children this node has (0 for an ordinary node). The
  // decision is taken as done: the role changes with it.
  ElectionDecision on_observe(const NodeView& self, const NetworkView& network, std::size_t children,
                              TimePoint now);

  Role role() const { return role_; }
  bool eligible(const NodeView& self) const;

 private:
  ElectionDecision as_ordinary(const NodeView& self, const NetworkView& network, TimePoint now);
  ElectionDecision as_super(const NetworkView& network, std::size_t children, TimePoint now);
  // Whether `holds` has been true since at least `wait` before `now`; `since` remembers when it became true.
  static bool held(bool holds, std::optional<TimePoint>& since, Duration wait, TimePoint now);
  ElectionDecision change_to(Role role, TimePoint now);

  ElectionConfig config_;
  Role role_;
  std::optional<TimePoint> role_since_;  // unknown for the starting role: no tenure to serve
  std::optional<TimePoint> condition_since_;
};

}  // namespace p2p::kazaa
