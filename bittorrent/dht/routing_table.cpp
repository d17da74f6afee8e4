// The k-bucket routing table: insertion, splitting, replacement of bad nodes and refresh, as BEP 5 describes.
#include "bittorrent/dht/routing_table.h"

#include <algorithm>
#include <cassert>
#include <iterator>
#include <tuple>

namespace p2p::bittorrent::dht {
namespace {

void record(NodeEntry& entry, bool responded, TimePoint now) {
  entry.last_seen = now;
  if (responded) {
    entry.last_response = now;
    entry.failed_queries = 0;
  } else {
    entry.last_query = now;
  }
}

NodeId with_bit_flipped(NodeId id, std::size_t index) {
  id.bytes[index / 8] ^= static_cast<std::uint8_t>(0x80 >> (index % 8));
  return id;
}

}  // namespace

NodeStatus NodeEntry::status(TimePoint now) const {
  if (failed_queries >= kFailuresUntilBad) return NodeStatus::Bad;
  if (last_response && now - *last_response < kGoodFor) return NodeStatus::Good;
  if (last_response && last_query && now - *last_query < kGoodFor) return NodeStatus::Good;
  return NodeStatus::Questionable;
}

RoutingTable::RoutingTable(RoutingTableConfig config) : config_(config), buckets_(1) {
  assert(config_.bucket_size > 0);
}

Insertion RoutingTable::on_response(const NodeInfo& node, TimePoint now) {
  return insert(node, Contact::Responded, now);
}

Insertion RoutingTable::on_query(const NodeInfo& node, TimePoint now) {
  return insert(node, Contact::Queried, now);
}

Insertion RoutingTable::insert(const NodeInfo& node, Contact contact, TimePoint now) {
  if (node.id == config_.own_id) return {InsertOutcome::Discarded, std::nullopt};
  bool responded = contact == Contact::Responded;
  std::size_t index = bucket_index(node.id);
  auto same_id = [&](const NodeEntry& entry) { return entry.info.id == node.id; };
  if (auto known = std::ranges::find_if(buckets_[index].nodes, same_id);
      known != buckets_[index].nodes.end()) {
    // An id is believed only at the address it was first seen at.
    if (known->info.endpoint != node.endpoint) return {InsertOutcome::Discarded, std::nullopt};
    record(*known, responded, now);
    if (responded) buckets_[index].last_changed = now;
    return {InsertOutcome::Updated, std::nullopt};
  }
  if (address_taken(node.endpoint)) return {InsertOutcome::Discarded, std::nullopt};

  NodeEntry fresh{node, now, std::nullopt, std::nullopt, 0};
  record(fresh, responded, now);
  // A waiting replacement that is heard from again goes in below, or back to the end of the waiting list.
  std::erase_if(buckets_[index].replacements, same_id);
  while (true) {
    Bucket& bucket = buckets_[index];
    if (bucket.nodes.size() < config_.bucket_size) {
      bucket.nodes.push_back(std::move(fresh));
      bucket.last_changed = now;
      return {InsertOutcome::Added, std::nullopt};
    }
    auto bad = std::ranges::find_if(bucket.nodes,
                                    [&](const NodeEntry& e) { return e.status(now) == NodeStatus::Bad; });
    if (bad != bucket.nodes.end()) {
      *bad = std::move(fresh);
      bucket.last_changed = now;
      return {InsertOutcome::Replaced, std::nullopt};
    }
    // Full, without bad nodes: only the bucket holding the own id splits, and then the node tries again in
    // whichever half its id falls.
    if (index + 1 < buckets_.size() || buckets_.size() == kIdBits) break;
    split_last(now);
    index = bucket_index(node.id);
  }

  // BEP 5: "If there are any questionable nodes in the bucket ..., the least recently seen node is pinged";
  // the newcomer waits for the answer among the replacements. A bucket full of good nodes discards it.
  Bucket& bucket = buckets_[index];
  const NodeEntry* stalest = nullptr;
  for (const NodeEntry& entry : bucket.nodes) {
    if (entry.status(now) == NodeStatus::Questionable && (!stalest || entry.last_seen < stalest->last_seen))
      stalest = &entry;
  }
  if (stalest == nullptr) return {InsertOutcome::Discarded, std::nullopt};
  NodeInfo to_ping = stalest->info;
  remember_replacement(bucket, std::move(fresh));
  return {InsertOutcome::PingFirst, to_ping};
}

void RoutingTable::on_timeout(const NodeId& id, TimePoint now) {
  Bucket& bucket = buckets_[bucket_index(id)];
  auto entry = std::ranges::find_if(bucket.nodes, [&](const NodeEntry& e) { return e.info.id == id; });
  if (entry == bucket.nodes.end()) return;
  ++entry->failed_queries;
  if (entry->status(now) == NodeStatus::Bad) promote_replacement(bucket, *entry, now);
}

void RoutingTable::promote_replacement(Bucket& bucket, NodeEntry& bad, TimePoint now) {
  while (!bucket.replacements.empty()) {
    NodeEntry candidate = std::move(bucket.replacements.back());
    bucket.replacements.pop_back();
    // The candidate's address may have been taken since it arrived.
    if (address_taken(candidate.info.endpoint)) continue;
    bad = std::move(candidate);
    bucket.last_changed = now;
    return;
  }
}

void RoutingTable::remember_replacement(Bucket& bucket, NodeEntry entry) {
  if (bucket.replacements.size() == config_.bucket_size)
    bucket.replacements.erase(bucket.replacements.begin());
  bucket.replacements.push_back(std::move(entry));
}

// The last bucket covers the ids sharing at least `last` bits with the own id; it keeps those that share
// exactly `last` and hands the rest to a new last bucket.
void RoutingTable::split_last(TimePoint now) {
  std::size_t last = buckets_.size() - 1;
  Bucket upper;
  auto moves_up = [&](const NodeEntry& e) { return shared_prefix_bits(e.info.id, config_.own_id) > last; };
  auto move_up = [&](std::vector<NodeEntry>& from, std::vector<NodeEntry>& to) {
    std::ranges::copy_if(from, std::back_inserter(to), moves_up);
    std::erase_if(from, moves_up);
  };
  move_up(buckets_[last].nodes, upper.nodes);
  move_up(buckets_[last].replacements, upper.replacements);
  buckets_[last].last_changed = now;
  upper.last_changed = now;
  buckets_.push_back(std::move(upper));
}

std::size_t RoutingTable::bucket_index(const NodeId& id) const {
  return std::min(shared_prefix_bits(id, config_.own_id), buckets_.size() - 1);
}

bool RoutingTable::address_taken(const Endpoint& endpoint) const {
  return std::ranges::any_of(buckets_, [&](const Bucket& bucket) {
    return std::ranges::any_of(bucket.nodes, [&](const NodeEntry& e) { return e.info.endpoint == endpoint; });
  });
}

std::vector<NodeInfo> RoutingTable::closest(const NodeId& target, std::size_t count, TimePoint now) const {
  // Each node's rank is computed once: (not good, distance), so good nodes sort first and each group by
  // distance; only the first `count` are put in order. Answering find_node runs this for every query.
  struct Ranked {
    bool questionable;
    NodeId distance;
    const NodeInfo* info;
  };
  std::vector<Ranked> ranked;
  for (const Bucket& bucket : buckets_) {
    for (const NodeEntry& entry : bucket.nodes) {
      NodeStatus status = entry.status(now);
      if (status == NodeStatus::Bad) continue;
      ranked.push_back(
          Ranked{status == NodeStatus::Questionable, distance(target, entry.info.id), &entry.info});
    }
  }
  auto end = ranked.begin() + static_cast<std::ptrdiff_t>(std::min(count, ranked.size()));
  std::partial_sort(ranked.begin(), end, ranked.end(), [](const Ranked& a, const Ranked& b) {
    return std::tie(a.questionable, a.distance) < std::tie(b.questionable, b.distance);
  });
  std::vector<NodeInfo> out;
  out.reserve(static_cast<std::size_t>(end - ranked.begin()));
  for (auto it = ranked.begin(); it != end; ++it) out.push_back(*it->info);
  return out;
}

std::vector<std::size_t> RoutingTable::buckets_to_refresh(TimePoint now) const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    if (now - buckets_[i].last_changed >= kRefreshAfter) out.push_back(i);
  }
  return out;
}

NodeId RoutingTable::refresh_target(std::size_t bucket, Rng& rng) const {
  assert(bucket < buckets_.size());
  // The last bucket: ids sharing its index's worth of bits with the own id. Any other bucket i: ids that
  // share i bits and differ at bit i.
  if (bucket + 1 == buckets_.size()) return random_id_with_prefix(config_.own_id, bucket, rng);
  return random_id_with_prefix(with_bit_flipped(config_.own_id, bucket), bucket + 1, rng);
}

const NodeEntry* RoutingTable::find(const NodeId& id) const {
  const Bucket& bucket = buckets_[bucket_index(id)];
  auto entry = std::ranges::find_if(bucket.nodes, [&](const NodeEntry& e) { return e.info.id == id; });
  return entry == bucket.nodes.end() ? nullptr : &*entry;
}

std::size_t RoutingTable::size() const {
  std::size_t total = 0;
  for (const Bucket& bucket : buckets_) total += bucket.nodes.size();
  return total;
}

}  // namespace p2p::bittorrent::dht
