// MCache: the partial view's entries, their expiry, random candidates, and the SCAMP forwarding rule.
#include "coolstreaming/mcache.h"

#include <algorithm>

namespace p2p::coolstreaming {
namespace {

bool contains(std::span<const Endpoint> ids, const Endpoint& id) {
  return std::ranges::find(ids, id) != ids.end();
}

bool expired(const MCache::Entry& entry, TimePoint now) {
  return now - entry.updated >= entry.record.ttl;
}

}  // namespace

const MCache::Entry* MCache::find(const Endpoint& id) const {
  auto it = std::ranges::find_if(entries_, [&](const Entry& e) { return e.record.id == id; });
  return it == entries_.end() ? nullptr : &*it;
}

MemberRecord MCache::current(const Entry& entry, TimePoint now) {
  MemberRecord record = entry.record;
  record.ttl = std::max(Duration::zero(), record.ttl - (now - entry.updated));
  return record;
}

bool MCache::update(const MemberRecord& record, TimePoint now) {
  if (record.id == config_.self || record.ttl <= Duration::zero()) return false;
  auto held = std::ranges::find_if(entries_, [&](const Entry& e) { return e.record.id == record.id; });
  if (held != entries_.end()) {
    if (record.seq <= held->record.seq) return false;
    *held = Entry{.record = record, .updated = now};
    return true;
  }
  if (entries_.size() >= config_.capacity) {
    auto soonest =
        std::ranges::min_element(entries_, {}, [now](const Entry& e) { return current(e, now).ttl; });
    entries_.erase(soonest);
  }
  entries_.push_back(Entry{.record = record, .updated = now});
  return true;
}

void MCache::remove(const Endpoint& id) {
  std::erase_if(entries_, [&](const Entry& e) { return e.record.id == id; });
}

std::vector<Endpoint> MCache::expire(TimePoint now) {
  std::vector<Endpoint> gone;
  for (const Entry& entry : entries_) {
    if (expired(entry, now)) gone.push_back(entry.record.id);
  }
  std::erase_if(entries_, [now](const Entry& e) { return expired(e, now); });
  return gone;
}

std::vector<Endpoint> MCache::pick(std::size_t count, std::span<const Endpoint> exclude, Rng& rng) const {
  std::vector<Endpoint> eligible;
  for (const Entry& entry : entries_) {
    if (!contains(exclude, entry.record.id)) eligible.push_back(entry.record.id);
  }
  rng.shuffle(eligible);
  if (eligible.size() > count) eligible.resize(count);
  return eligible;
}

std::optional<Endpoint> MCache::forward_target(const MemberRecord& record, const Endpoint& from,
                                               Rng& rng) const {
  const Endpoint skip[] = {from, record.id};
  std::vector<Endpoint> one = pick(1, skip, rng);
  if (one.empty()) return std::nullopt;
  return one.front();
}

GossipDecision MCache::on_gossip(const MemberRecord& record, const Endpoint& from, TimePoint now, Rng& rng) {
  GossipDecision decision;
  if (record.id == config_.self || record.ttl <= Duration::zero()) return decision;
  const Entry* held = find(record.id);
  if (held != nullptr && record.seq <= held->record.seq) return decision;

  const bool known = held != nullptr;
  // SCAMP: a new member is kept with probability 1 / (1 + view size) and otherwise passed on; news of a
  // member already held refreshes its entry and is passed on too.
  const bool keep = known || rng.chance(1.0 / (1.0 + static_cast<double>(entries_.size())));
  const bool pass_on = known || !keep;
  decision.forwarded = record;
  decision.forwarded.ttl = record.ttl - config_.hop_ttl;
  if (pass_on && decision.forwarded.ttl > Duration::zero()) {
    decision.forward_to = forward_target(record, from, rng);
  }
  // A new member that we pass to nobody is kept rather than lost.
  if (keep || !decision.forward_to) decision.stored = update(record, now);
  return decision;
}

}  // namespace p2p::coolstreaming
