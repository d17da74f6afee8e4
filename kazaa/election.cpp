// Supernode election: eligibility, shortage and surplus, each held for a while before the node acts.
#include "kazaa/election.h"

#include <algorithm>

namespace p2p::kazaa {
namespace {

// A node this many times faster than the minimum, or uncapped, waits the least: settle / 8.
constexpr double kMaxSpeedup = 8;

}  // namespace

bool Election::eligible(const NodeView& self) const {
  bool fast = self.upload_bps == 0 || self.upload_bps >= config_.min_upload_bps;
  return fast && self.uptime >= config_.min_uptime && self.reachable;
}

ElectionDecision Election::on_observe(const NodeView& self, const NetworkView& network, std::size_t children,
                                      TimePoint now) {
  return role_ == Role::Ordinary ? as_ordinary(self, network, now) : as_super(network, children, now);
}

ElectionDecision Election::as_ordinary(const NodeView& self, const NetworkView& network, TimePoint now) {
  bool too_few =
      network.supernodes == 0 || network.ordinary_nodes > network.supernodes * config_.children_per_super;
  bool shortage = too_few || network.stranded_round.has_value();
  double speedup =
      self.upload_bps == 0
          ? kMaxSpeedup
          : std::clamp(static_cast<double>(self.upload_bps) / static_cast<double>(config_.min_upload_bps),
                       1.0, kMaxSpeedup);
  auto wait = std::chrono::duration_cast<Duration>(config_.settle / speedup);
  if (!held(eligible(self) && shortage, condition_since_, wait, now)) return ElectionDecision::Stay;
  // Stranded only: a join round begun once the wait was over must have found no room either.
  if (!too_few && now - *network.stranded_round < *condition_since_ + wait) return ElectionDecision::Stay;
  return change_to(Role::Super, now);
}

ElectionDecision Election::as_super(const NetworkView& network, std::size_t children, TimePoint now) {
  if (role_since_ && now - *role_since_ < config_.min_tenure) return ElectionDecision::Stay;
  bool underloaded = static_cast<double>(children) < config_.underloaded_share * config_.children_per_super;
  // After stepping down this node is one more ordinary node, and one supernode fewer takes them all.
  bool others_suffice = network.supernodes > 1 &&
                        static_cast<double>(network.ordinary_nodes + 1) <=
                            config_.demote_fill * config_.children_per_super * (network.supernodes - 1);
  if (!held(underloaded && others_suffice, condition_since_, config_.settle, now))
    return ElectionDecision::Stay;
  return change_to(Role::Ordinary, now);
}

bool Election::held(bool holds, std::optional<TimePoint>& since, Duration wait, TimePoint now) {
  if (!holds) {
    since.reset();
    return false;
  }
  if (!since) since = now;
  return now - *since >= wait;
}

ElectionDecision Election::change_to(Role role, TimePoint now) {
  role_ = role;
  role_since_ = now;
  condition_since_.reset();
  return role == Role::Super ? ElectionDecision::Promote : ElectionDecision::Demote;
}

}  // namespace p2p::kazaa
