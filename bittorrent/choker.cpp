// Choker: regular slots by rate or in turn, the rotating optimistic unchoke, and anti-snubbing.
#include "bittorrent/choker.h"

#include <algorithm>

namespace p2p::bittorrent {
namespace {

bool contains(const std::vector<ConnId>& ids, ConnId id) {
  return std::ranges::find(ids, id) != ids.end();
}

const PeerView* find_peer(std::span<const PeerView> peers, ConnId id) {
  auto it = std::ranges::find_if(peers, [id](const PeerView& p) { return p.id == id; });
  return it == peers.end() ? nullptr : &*it;
}

}  // namespace

bool ChokeDecision::unchokes(ConnId peer) const {
  return contains(regular, peer) || contains(optimistic, peer);
}

bool Choker::is_snubbed(const PeerView& peer, TimePoint now) const {
  return now - peer.last_piece_at.value_or(peer.connected_at) >= config_.snub_timeout;
}

ChokeDecision Choker::rechoke(std::span<const PeerView> peers, bool seeding, TimePoint now, Rng& rng) {
  ChokeDecision decision;
  if (config_.strategy == ChokeStrategy::RoundRobin) {
    decision.regular = in_turn(peers);
  } else {
    decision.regular = seeding ? by_service_time(peers, now, rng) : by_rate(peers, now, rng);
  }
  draw_optimistic(peers, decision.regular, optimistic_slots(peers, seeding), now, rng);
  decision.optimistic = optimistic_;
  return decision;
}

// Tit-for-tat: interested peers by the rate they give us, fastest first; a peer that has snubbed us gets no
// regular slot. Ties, common when rates are all zero at the start, are broken at random so no peer id is
// favoured.
std::vector<ConnId> Choker::by_rate(std::span<const PeerView> peers, TimePoint now, Rng& rng) const {
  std::vector<const PeerView*> ranked;
  for (const PeerView& peer : peers) {
    if (peer.interested && !is_snubbed(peer, now)) ranked.push_back(&peer);
  }
  rng.shuffle(ranked);
  std::ranges::stable_sort(
      ranked, [](const PeerView* a, const PeerView* b) { return a->rate_to_us > b->rate_to_us; });
  std::vector<ConnId> out;
  for (std::size_t i = 0; i < ranked.size() && i < config_.regular_slots; ++i) out.push_back(ranked[i]->id);
  return out;
}

// A seed's regular slots (mainline 4.x's seed state; Legout et al. 2006, section 2.2.2). Ranking by the rate
// peers download from the seed, as mainline 3.x did, hands the seed to whoever downloads fastest, and a free
// rider, whose uplink carries nothing, downloads fastest of all. Instead the peers unchoked in the last
// seed_keep (or with requests still waiting) come first, the most recently unchoked first; the other unchoked
// peers follow by rate, and choked ones fill any free slot at random. Each round the optimistic unchoke
// brings a new peer in at the top and the one unchoked longest ago drops out, so every interested peer gets
// about the same service time, whatever it gives back.
std::vector<ConnId> Choker::by_service_time(std::span<const PeerView> peers, TimePoint now, Rng& rng) const {
  std::vector<const PeerView*> kept, others, choked;
  for (const PeerView& peer : peers) {
    if (!peer.interested) continue;
    bool recent = peer.unchoked_at && now - *peer.unchoked_at < config_.seed_keep;
    if (!peer.unchoked) {
      choked.push_back(&peer);
    } else if (recent || peer.requests_waiting) {
      kept.push_back(&peer);
    } else {
      others.push_back(&peer);
    }
  }
  std::ranges::sort(kept,
                    [](const PeerView* a, const PeerView* b) { return a->unchoked_at > b->unchoked_at; });
  rng.shuffle(others);
  std::ranges::stable_sort(
      others, [](const PeerView* a, const PeerView* b) { return a->rate_from_us > b->rate_from_us; });
  rng.shuffle(choked);
  std::vector<ConnId> out;
  for (const auto* group : {&kept, &others, &choked}) {
    for (const PeerView* peer : *group) {
      if (out.size() < config_.regular_slots) out.push_back(peer->id);
    }
  }
  return out;
}

// Round robin: the interested peers in id order, starting after the last one served, so every peer gets the
// slots in turn whatever it gives back.
std::vector<ConnId> Choker::in_turn(std::span<const PeerView> peers) {
  std::vector<ConnId> interested;
  for (const PeerView& peer : peers) {
    if (peer.interested) interested.push_back(peer.id);
  }
  std::ranges::sort(interested);
  auto start = std::ranges::upper_bound(interested, last_served_) - interested.begin();
  std::vector<ConnId> out;
  for (std::size_t i = 0; i < interested.size() && i < config_.regular_slots; ++i) {
    out.push_back(interested[(static_cast<std::size_t>(start) + i) % interested.size()]);
  }
  if (!out.empty()) last_served_ = out.back();
  return out;
}

std::size_t Choker::optimistic_slots(std::span<const PeerView> peers, bool seeding) const {
  if (!config_.optimistic) return 0;
  bool choked_by_everyone =
      !seeding && !peers.empty() && std::ranges::all_of(peers, [](const PeerView& p) { return p.chokes_us; });
  return choked_by_everyone ? config_.optimistic_slots_when_choked : 1;
}

// Keeps the optimistic peers until their 30 s are up (unless they left, lost interest or earned a regular
// slot), then fills the free slots by a weighted draw among the other interested peers.
void Choker::draw_optimistic(std::span<const PeerView> peers, const std::vector<ConnId>& regular,
                             std::size_t slots, TimePoint now, Rng& rng) {
  if (!optimistic_since_ || now - *optimistic_since_ >= config_.optimistic_period) {
    optimistic_.clear();
    optimistic_since_ = now;
  }
  std::erase_if(optimistic_, [&](ConnId id) {
    const PeerView* peer = find_peer(peers, id);
    return peer == nullptr || !peer->interested || contains(regular, id);
  });
  if (optimistic_.size() > slots) optimistic_.resize(slots);

  std::vector<const PeerView*> candidates;
  std::vector<std::uint64_t> weights;
  for (const PeerView& peer : peers) {
    if (!peer.interested || contains(regular, peer.id) || contains(optimistic_, peer.id)) continue;
    candidates.push_back(&peer);
    weights.push_back(now - peer.connected_at < config_.newcomer_age ? config_.newcomer_weight : 1);
  }
  while (optimistic_.size() < slots && !candidates.empty()) {
    std::uint64_t total = 0;
    for (std::uint64_t w : weights) total += w;
    std::uint64_t draw = rng.below(total);
    std::size_t i = 0;
    while (draw >= weights[i]) draw -= weights[i++];
    optimistic_.push_back(candidates[i]->id);
    candidates.erase(candidates.begin() + static_cast<std::ptrdiff_t>(i));
    weights.erase(weights.begin() + static_cast<std::ptrdiff_t>(i));
  }
}

}  // namespace p2p::bittorrent
