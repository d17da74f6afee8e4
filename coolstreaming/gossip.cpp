// Gossip: between the wire's Membership and Leave and the mCache's MemberRecord.
#include "coolstreaming/gossip.h"

#include <algorithm>

namespace p2p::coolstreaming {
namespace {

std::uint32_t to_ttl_ms(Duration ttl) {
  auto ms = std::chrono::duration_cast<milliseconds>(ttl).count();
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(ms, 0, kMaxGossipTtlMs));
}

// What one hop takes off a record's time to live (MCacheConfig::hop_ttl's default).
constexpr std::uint32_t kHopMs = 1000;

}  // namespace

Gossip::Gossip(Endpoint self, GossipConfig config)
    : self_(self),
      config_(config),
      view_(MCacheConfig{.self = self, .capacity = config.view_capacity, .hop_ttl = milliseconds(kHopMs)}) {}

Membership Gossip::announce(std::uint16_t num_partner) {
  return Membership{
      .seq = ++seq_, .id = self_, .num_partner = num_partner, .ttl_ms = to_ttl_ms(config_.member_ttl)};
}

Membership Gossip::subscribe(const Endpoint& newcomer, TimePoint now) {
  MemberRecord record{.seq = 0, .id = newcomer, .num_partner = 0, .ttl = config_.member_ttl};
  view_.update(record, now);
  return Membership{.seq = 0, .id = newcomer, .num_partner = 0, .ttl_ms = to_ttl_ms(config_.member_ttl)};
}

std::optional<Relay<Membership>> Gossip::on_membership(const Membership& heard, const Endpoint& from,
                                                       TimePoint now, Rng& rng) {
  MemberRecord record{
      .seq = heard.seq, .id = heard.id, .num_partner = heard.num_partner, .ttl = milliseconds(heard.ttl_ms)};
  GossipDecision decision = view_.on_gossip(record, from, now, rng);
  if (!decision.forward_to) return std::nullopt;
  const MemberRecord& out = decision.forwarded;
  return Relay<Membership>{
      *decision.forward_to,
      Membership{.seq = out.seq, .id = out.id, .num_partner = out.num_partner, .ttl_ms = to_ttl_ms(out.ttl)}};
}

std::optional<Leave> Gossip::on_leave(const Leave& heard) {
  if (view_.find(heard.id) == nullptr) return std::nullopt;
  view_.remove(heard.id);
  if (heard.ttl_ms <= kHopMs) return std::nullopt;
  return Leave{.seq = heard.seq, .id = heard.id, .ttl_ms = heard.ttl_ms - kHopMs};
}

Leave Gossip::departure(const Endpoint& member) {
  return Leave{.seq = member == self_ ? ++seq_ : 0, .id = member, .ttl_ms = to_ttl_ms(config_.member_ttl)};
}

}  // namespace p2p::coolstreaming
