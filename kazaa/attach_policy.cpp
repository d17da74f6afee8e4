// The ordinary node's attach policy: a fresh list, RTT probes, the best supernode, and starting over.
#include "kazaa/attach_policy.h"

#include <algorithm>
#include <cassert>
#include <tuple>

namespace p2p::kazaa {

AttachPolicy::AttachPolicy(Endpoint self, std::vector<SupernodeEntry> shipped, AttachPolicyConfig config)
    : config_(config), shipped_(std::move(shipped)), list_(std::move(self), config.list) {
  assert(config_.probes > 0);
}

AttachAction AttachPolicy::on_start(TimePoint now) {
  list_.merge(shipped_, now);
  begin_join(now, /*rejoining=*/false);
  return ask_next_for_list(now);
}

AttachAction AttachPolicy::on_list(const Endpoint& from, std::span<const SupernodeEntry> entries,
                                   TimePoint now) {
  list_.merge(entries, now);
  if (state_ != AttachState::AwaitingList || from != asked_) return {};
  return probe_next(now);
}

AttachAction AttachPolicy::on_pong(const Endpoint& from, Duration rtt, std::uint8_t load_percent,
                                   TimePoint now) {
  list_.heard_from(from, load_percent, now);
  if (state_ != AttachState::AwaitingPongs) return {};
  auto probe = probes_.find(from);
  if (probe == probes_.end() || probe->second.settled) return {};
  probe->second = Probe{rtt, load_percent, true};
  return rank_probes(now);
}

AttachAction AttachPolicy::on_accepted(const Endpoint& from, TimePoint now) {
  if (state_ != AttachState::AwaitingAnswer || from != asked_) return {};
  state_ = AttachState::Attached;
  supernode_ = from;
  deadline_.reset();
  tried_.clear();
  ranked_.clear();
  last_join_ = now - join_started_;
  stranded_round_.reset();
  refused_by_full_ = false;
  if (rejoining_) ++reattaches_;
  return {};
}

AttachAction AttachPolicy::on_refused(const Endpoint& from, std::span<const SupernodeEntry> alternatives,
                                      TimePoint now) {
  // A supernode refuses only when full, and says so in its pongs and list entries; an ordinary node refuses
  // too (kazaa/ordinary_node.cpp) but reports no load, and says nothing of the supernodes' room.
  if (list_.load_percent(from) == kFullLoad) refused_by_full_ = true;
  list_.merge(alternatives, now);
  if (state_ != AttachState::AwaitingAnswer || from != asked_) return {};
  return attach_next(now);
}

AttachAction AttachPolicy::on_lost(const Endpoint& from, TimePoint now) {
  switch (state_) {
    case AttachState::Attached:
      if (from != supernode_) return {};
      // The supernode died: start over with a fresh list (PROTOCOLS.md, "When its SN dies it takes a new
      // list and re-attaches"). Marked dead, it is not among the candidates.
      list_.mark_dead(from, now);
      supernode_.reset();
      begin_join(now, /*rejoining=*/true);
      return ask_next_for_list(now);
    case AttachState::AwaitingList:
      if (from != asked_) return {};
      list_.mark_dead(from, now);
      tried_.push_back(from);
      return ask_next_for_list(now);
    case AttachState::AwaitingPongs:
      if (auto probe = probes_.find(from); probe != probes_.end() && !probe->second.settled) {
        list_.mark_dead(from, now);
        probe->second.settled = true;
        return rank_probes(now);
      }
      return {};
    case AttachState::AwaitingAnswer:
      if (from != asked_) return {};
      list_.mark_dead(from, now);
      return attach_next(now);
    case AttachState::Idle:
    case AttachState::AwaitingRetry:
      return {};
  }
  return {};
}

AttachAction AttachPolicy::on_timer(TimePoint now) {
  if (!deadline_ || now < *deadline_) return {};
  switch (state_) {
    case AttachState::AwaitingList:
      tried_.push_back(*asked_);
      return ask_next_for_list(now);
    case AttachState::AwaitingPongs:
      // Whoever has not answered is unusable for this join.
      for (auto& [address, probe] : probes_) probe.settled = true;
      return rank_probes(now);
    case AttachState::AwaitingAnswer:
      return attach_next(now);
    case AttachState::AwaitingRetry:
      // Everything known was tried: the shipped list gets another chance, the dead in it included.
      list_.merge(shipped_, now);
      tried_.clear();
      round_started_ = now;
      return ask_next_for_list(now);
    case AttachState::Idle:
    case AttachState::Attached:
      return {};
  }
  return {};
}

void AttachPolicy::begin_join(TimePoint now, bool rejoining) {
  join_started_ = now;
  round_started_ = now;
  rejoining_ = rejoining;
  tried_.clear();
  ranked_.clear();
  probes_.clear();
}

AttachAction AttachPolicy::ask_next_for_list(TimePoint now) {
  auto next = list_.candidates(now, tried_, 1);
  if (next.empty()) return wait(now);
  asked_ = next.front().address;
  return await(AttachState::AwaitingList, AttachAction::Kind::AskForList, {*asked_},
               now + config_.list_timeout);
}

AttachAction AttachPolicy::probe_next(TimePoint now) {
  probes_.clear();
  std::vector<Endpoint> to;
  for (const SupernodeEntry& entry : list_.candidates(now, tried_, config_.probes)) {
    to.push_back(entry.address);
    tried_.push_back(entry.address);
    probes_[entry.address] = Probe{};
  }
  if (to.empty()) return wait(now);
  return await(AttachState::AwaitingPongs, AttachAction::Kind::Ping, std::move(to),
               now + config_.probe_timeout);
}

// Once every probe has settled, the ones that answered are ranked: smallest RTT first, then lower load
// (PROTOCOLS.md: "keeps the one with the smallest RTT (load ... also count[s])").
AttachAction AttachPolicy::rank_probes(TimePoint now) {
  if (std::any_of(probes_.begin(), probes_.end(), [](const auto& p) { return !p.second.settled; })) return {};
  std::vector<std::pair<const Endpoint*, const Probe*>> answered;
  for (const auto& [address, probe] : probes_)
    if (probe.rtt) answered.push_back({&address, &probe});
  // Ties on both keep the address order of the map, so a run replays the same.
  std::stable_sort(answered.begin(), answered.end(), [](const auto& a, const auto& b) {
    return std::tie(*a.second->rtt, a.second->load_percent) <
           std::tie(*b.second->rtt, b.second->load_percent);
  });
  ranked_.clear();
  for (const auto& [address, probe] : answered) ranked_.push_back(*address);
  probes_.clear();
  return attach_next(now);
}

AttachAction AttachPolicy::attach_next(TimePoint now) {
  if (ranked_.empty()) return probe_next(now);
  asked_ = ranked_.front();
  ranked_.erase(ranked_.begin());
  return await(AttachState::AwaitingAnswer, AttachAction::Kind::Attach, {*asked_},
               now + config_.attach_timeout);
}

AttachAction AttachPolicy::wait(TimePoint now) {
  if (refused_by_full_) stranded_round_ = round_started_;
  Duration retry = stranded_round_ ? config_.stranded_retry_after : config_.retry_after;
  return await(AttachState::AwaitingRetry, AttachAction::Kind::Nothing, {}, now + retry);
}

AttachAction AttachPolicy::await(AttachState state, AttachAction::Kind kind, std::vector<Endpoint> to,
                                 TimePoint deadline) {
  state_ = state;
  deadline_ = deadline;
  return AttachAction{kind, std::move(to), deadline};
}

}  // namespace p2p::kazaa
