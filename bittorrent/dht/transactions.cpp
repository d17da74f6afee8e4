// Awaited queries by transaction id, with their deadlines and retries.
#include "bittorrent/dht/transactions.h"

#include <cassert>
#include <vector>

namespace p2p::bittorrent::dht {

Transactions::Transactions(TransactionsConfig config, Rng& rng)
    : config_(config), counter_(static_cast<std::uint16_t>(rng.below(65536))) {
  assert(config_.attempts >= 1 && config_.timeout > Duration{0});
}

std::string Transactions::next_id() {
  // 65,536 ids: a node awaiting that many answers at once is a bug, not a load.
  assert(awaited_.size() < 65536);
  while (true) {
    std::string id{static_cast<char>(counter_ >> 8), static_cast<char>(counter_ & 0xff)};
    ++counter_;
    if (!awaited_.contains(id)) return id;
  }
}

void Transactions::add(std::string transaction, Outstanding query, TimePoint now) {
  query.deadline = now + config_.timeout;
  query.attempts = 1;
  awaited_.insert_or_assign(std::move(transaction), std::move(query));
}

Match Transactions::close(const std::string& transaction, const Endpoint& from,
                          const std::optional<NodeId>& id, Outstanding* closed) {
  auto it = awaited_.find(transaction);
  if (it == awaited_.end()) return Match::UnknownTransaction;
  if (it->second.to != from) return Match::WrongSender;
  if (id && it->second.id && *it->second.id != *id) return Match::WrongId;
  *closed = std::move(it->second);
  awaited_.erase(it);
  return Match::Matched;
}

void Transactions::expire(TimePoint now, const std::function<void(const Outstanding&)>& resend,
                          const std::function<void(const Outstanding&)>& failed) {
  std::vector<Outstanding> gone;
  for (auto it = awaited_.begin(); it != awaited_.end();) {
    Outstanding& query = it->second;
    if (query.deadline > now) {
      ++it;
    } else if (query.attempts < config_.attempts) {
      ++query.attempts;
      query.deadline = now + config_.timeout;
      resend(query);
      ++it;
    } else {
      gone.push_back(std::move(query));
      it = awaited_.erase(it);
    }
  }
  // Failures are reported once the table is consistent: the callback may send new queries.
  for (const Outstanding& query : gone) failed(query);
}

}  // namespace p2p::bittorrent::dht
