// Choker: which peers we upload to (tit-for-tat with an optimistic unchoke and anti-snubbing, or round
// robin).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "common/util/ids.h"
#include "common/util/random.h"
#include "common/util/time.h"

namespace p2p::bittorrent {

enum class ChokeStrategy {
  TitForTat,   // reciprocate: the peers that upload to us fastest (as a seed: each in turn for equal time)
  RoundRobin,  // every interested peer in turn, regardless of rates: the baseline tit-for-tat is measured
               // against
};

// Regular slots without a limit: every interested peer is unchoked, as a client-server upload would serve
// every client at once, so the uplink and not the slot count sets the pace.
inline constexpr std::size_t kUnlimitedSlots = std::numeric_limits<std::size_t>::max();

struct ChokerConfig {
  ChokeStrategy strategy = ChokeStrategy::TitForTat;
  Duration rechoke_period = std::chrono::seconds(10);  // how often the core asks for a decision
  bool optimistic = true;
  std::size_t regular_slots = 4;  // or kUnlimitedSlots
  Duration optimistic_period = std::chrono::seconds(30);
  Duration snub_timeout = std::chrono::seconds(60);
  Duration newcomer_age = std::chrono::seconds(60);
  // A seed keeps a peer it unchoked this recently (or that still has requests waiting) ahead of the others.
  Duration seed_keep = std::chrono::seconds(20);
  std::uint64_t newcomer_weight = 3;
  // A leecher that every peer chokes has nobody to reciprocate, so it tries more peers at once.
  std::size_t optimistic_slots_when_choked = 3;
};

// What the core knows about one connected peer at a rechoke. Rates are the link's measured averages.
struct PeerView {
  ConnId id;
  bool interested = false;  // the peer wants pieces we have
  double rate_to_us = 0;    // bytes/s it uploads to us
  double rate_from_us = 0;  // bytes/s we upload to it
  TimePoint connected_at{};
  std::optional<TimePoint> last_piece_at;  // when it last sent us a block
  bool chokes_us = true;
  bool unchoked = false;                 // we unchoke it now
  std::optional<TimePoint> unchoked_at;  // when we last unchoked it
  bool requests_waiting = false;         // it has requests we have not served yet
};

struct ChokeDecision {
  std::vector<ConnId> regular;  // fastest first (tit-for-tat) or in turn (round robin)
  std::vector<ConnId> optimistic;

  bool unchokes(ConnId peer) const;
};

// Decides whom to unchoke (BEP 3 "choking"; Cohen, "Incentives Build Robustness in BitTorrent", 2003, and the
// mainline client). Called by the core every rechoke_period (10 s) with a view of each peer:
//   - regular slots (4) go to the interested peers that upload to us fastest; a seed, which has nothing to
//     reciprocate, keeps the peers it unchoked most recently instead, so that each gets the same service
//     time (the seed state of mainline 4.x; Legout et al., "Rarest First and Choke Algorithms Are Enough",
//     IMC 2006, section 2.2);
//   - one optimistic unchoke, re-drawn every 30 s, gives a peer outside the regular set a chance to show its
//     rate; newcomers (connected for under a minute) are 3 times as likely to be drawn, since they have
//     nothing to trade yet;
//   - anti-snubbing: a peer that sent us no block for 60 s is snubbing us and gets no regular slot, and a
//     leecher choked by every peer uses more optimistic slots.
// It remembers only the optimistic choice and the round-robin turn; time and randomness are passed in.
class Choker {
 public:
  explicit Choker(ChokerConfig config = {}) : config_(config) {}

  ChokeDecision rechoke(std::span<const PeerView> peers, bool seeding, TimePoint now, Rng& rng);
  bool is_snubbed(const PeerView& peer, TimePoint now) const;

 private:
  std::vector<ConnId> by_rate(std::span<const PeerView> peers, TimePoint now, Rng& rng) const;
  std::vector<ConnId> by_service_time(std::span<const PeerView> peers, TimePoint now, Rng& rng) const;
  std::vector<ConnId> in_turn(std::span<const PeerView> peers);
  std::size_t optimistic_slots(std::span<const PeerView> peers, bool seeding) const;
  void draw_optimistic(std::span<const PeerView> peers, const std::vector<ConnId>& regular, std::size_t slots,
                       TimePoint now, Rng& rng);

  ChokerConfig config_;
  std::vector<ConnId> optimistic_;
  std::optional<TimePoint> optimistic_since_;
  ConnId last_served_;  // round robin resumes after this peer
};

}  // namespace p2p::bittorrent
