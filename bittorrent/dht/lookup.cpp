// The iterative lookup: a sorted candidate list, a window of the k closest, and alpha queries in flight.
#include "bittorrent/dht/lookup.h"

#include <algorithm>
#include <cassert>

namespace p2p::bittorrent::dht {

Lookup::Lookup(LookupConfig config, const std::vector<NodeInfo>& seeds) : config_(config) {
  assert(config_.k > 0 && config_.alpha > 0);
  for (const NodeInfo& seed : seeds) add(seed, 1, std::nullopt);
}

std::vector<NodeInfo> Lookup::next_queries() {
  std::vector<NodeInfo> out;
  std::size_t standing = 0;  // candidates seen so far that have not failed
  for (Candidate& candidate : candidates_) {
    if (standing == config_.k || in_flight_ == config_.alpha) break;
    if (candidate.state == State::Failed) continue;
    ++standing;
    if (candidate.state != State::Fresh) continue;
    candidate.state = State::InFlight;
    ++in_flight_;
    ++queries_sent_;
    out.push_back(candidate.info);
  }
  return out;
}

void Lookup::on_response(const NodeId& from, const std::vector<NodeInfo>& nodes) {
  Candidate* candidate = find(from);
  if (candidate == nullptr || candidate->state == State::Fresh || candidate->state == State::Answered) return;
  if (candidate->state == State::InFlight) --in_flight_;
  candidate->state = State::Answered;
  add_named_by(*candidate, nodes);
}

void Lookup::on_seed_response(const NodeInfo& from, const std::vector<NodeInfo>& nodes) {
  if (find(from.id) == nullptr) add(from, 1, std::nullopt);
  Candidate* candidate = find(from.id);
  if (candidate == nullptr || candidate->state == State::Answered) return;
  if (candidate->state == State::InFlight) --in_flight_;
  candidate->state = State::Answered;
  add_named_by(*candidate, nodes);
}

// Copies what it needs of `from` first: adding candidates moves them.
void Lookup::add_named_by(const Candidate& from, const std::vector<NodeInfo>& nodes) {
  NodeId named_by = from.info.id;
  std::size_t hop = from.hop + 1;
  for (const NodeInfo& node : nodes) add(node, hop, named_by);
}

void Lookup::on_timeout(const NodeId& from) {
  Candidate* candidate = find(from);
  if (candidate == nullptr || candidate->state != State::InFlight) return;
  --in_flight_;
  candidate->state = State::Failed;
}

bool Lookup::done() const {
  std::size_t standing = 0;
  for (const Candidate& candidate : candidates_) {
    if (standing == config_.k) break;
    if (candidate.state == State::Failed) continue;
    if (candidate.state != State::Answered) return false;
    ++standing;
  }
  return true;
}

std::vector<NodeInfo> Lookup::closest_answered() const {
  std::vector<NodeInfo> out;
  for (const Candidate& candidate : candidates_) {
    if (out.size() == config_.k) break;
    if (candidate.state == State::Answered) out.push_back(candidate.info);
  }
  return out;
}

std::size_t Lookup::hops() const {
  std::size_t deepest = 0, counted = 0;
  for (const Candidate& candidate : candidates_) {
    if (counted == config_.k) break;
    if (candidate.state != State::Answered) continue;
    ++counted;
    deepest = std::max(deepest, candidate.hop);
  }
  return deepest;
}

std::vector<NodeInfo> Lookup::path() const {
  std::vector<NodeInfo> out;
  const Candidate* step = closest_answered_candidate();
  // Each step was named by a node added before it, so the walk ends at a seed; the bound is a safeguard.
  while (step != nullptr && out.size() <= candidates_.size()) {
    out.push_back(step->info);
    if (!step->named_by) break;
    auto it =
        std::ranges::find_if(candidates_, [&](const Candidate& c) { return c.info.id == *step->named_by; });
    step = it == candidates_.end() ? nullptr : &*it;
  }
  std::ranges::reverse(out);
  return out;
}

const Lookup::Candidate* Lookup::closest_answered_candidate() const {
  auto it = std::ranges::find_if(candidates_, [](const Candidate& c) { return c.state == State::Answered; });
  return it == candidates_.end() ? nullptr : &*it;
}

void Lookup::add(const NodeInfo& node, std::size_t hop, const std::optional<NodeId>& named_by) {
  if (node.id == config_.own_id || find(node.id) != nullptr) return;
  auto position = std::ranges::upper_bound(
      candidates_, node.id, [&](const NodeId& a, const NodeId& b) { return closer(config_.target, a, b); },
      [](const Candidate& c) { return c.info.id; });
  candidates_.insert(position, Candidate{node, State::Fresh, hop, named_by});
  // Past the cap, drop the farthest candidate that was never asked; those asked are kept for their answers.
  if (candidates_.size() > kMaxCandidates) {
    auto farthest_fresh = std::ranges::find_if(candidates_.rbegin(), candidates_.rend(),
                                               [](const Candidate& c) { return c.state == State::Fresh; });
    if (farthest_fresh != candidates_.rend()) candidates_.erase(std::next(farthest_fresh).base());
  }
}

Lookup::Candidate* Lookup::find(const NodeId& id) {
  auto it = std::ranges::find_if(candidates_, [&](const Candidate& c) { return c.info.id == id; });
  return it == candidates_.end() ? nullptr : &*it;
}

}  // namespace p2p::bittorrent::dht
