// The originating supernode's search: its own matches, then rounds of further supernodes, until enough.
#include "kazaa/query_driver.h"

#include <algorithm>
#include <cassert>

namespace p2p::kazaa {

QueryDriver::QueryDriver(QueryDriverConfig config, const std::vector<Endpoint>& supernodes)
    : config_(config) {
  assert(config_.indirect > 0);
  std::set<Endpoint> seen;
  for (const Endpoint& supernode : supernodes)
    if (seen.insert(supernode).second) supernodes_.push_back(supernode);
}

QueryStep QueryDriver::start(std::size_t local_matches, TimePoint now) {
  assert(rounds_ == 0 && !finished_);
  QueryStep step = count(local_matches, {});
  return step.finished ? step : next_round(std::move(step), now);
}

QueryStep QueryDriver::on_reply(const Endpoint& from, std::size_t matches, TimePoint now) {
  if (unanswered_.erase(from) == 0) return {};
  ++replies_;
  if (finished_) return {};  // too late: the search has ended
  QueryStep step = count(matches, {});
  if (step.finished) return step;
  this_round_.erase(from);
  return this_round_.empty() ? next_round(std::move(step), now) : step;
}

QueryStep QueryDriver::on_timer(TimePoint now) {
  if (finished_ || !round_ends_ || now < *round_ends_) return {};
  // The round's stragglers may still reply; the next round does not wait for them.
  return next_round({}, now);
}

// Takes `found` matches in, up to max_results in all, and finishes once there are enough.
QueryStep QueryDriver::count(std::size_t found, QueryStep step) {
  step.pass_on = std::min(found, config_.max_results - matches_);
  matches_ += step.pass_on;
  return matches_ >= std::min(config_.want, config_.max_results) ? finish(std::move(step)) : step;
}

QueryStep QueryDriver::next_round(QueryStep step, TimePoint now) {
  if (next_ == supernodes_.size()) return finish(std::move(step));
  this_round_.clear();
  for (; next_ < supernodes_.size() && step.forward_to.size() < config_.indirect; ++next_) {
    step.forward_to.push_back(supernodes_[next_]);
    this_round_.insert(supernodes_[next_]);
    unanswered_.insert(supernodes_[next_]);
  }
  ++rounds_;
  round_ends_ = now + config_.round_timeout;
  step.wake_at = round_ends_;
  return step;
}

QueryStep QueryDriver::finish(QueryStep step) {
  finished_ = true;
  round_ends_.reset();
  step.finished = true;
  return step;
}

}  // namespace p2p::kazaa
