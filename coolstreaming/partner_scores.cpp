// PartnerScores: per-partner segment counts, per-period rates, and the lowest scorer for refinement.
#include "coolstreaming/partner_scores.h"

#include <utility>

namespace p2p::coolstreaming {

void PartnerScores::add(const Endpoint& partner, TimePoint now) {
  partners_.try_emplace(partner,
                        Partner{.added = now, .counting_since = now, .sent = 0, .received = 0, .rates = {}});
}

void PartnerScores::remove(const Endpoint& partner) {
  partners_.erase(partner);
}

void PartnerScores::on_sent(const Endpoint& partner, std::uint32_t segments) {
  auto it = partners_.find(partner);
  if (it != partners_.end()) it->second.sent += segments;
}

void PartnerScores::on_received(const Endpoint& partner, std::uint32_t segments) {
  auto it = partners_.find(partner);
  if (it != partners_.end()) it->second.received += segments;
}

void PartnerScores::end_period(TimePoint now) {
  for (auto& [id, partner] : partners_) {
    const double seconds = to_seconds(now - partner.counting_since);
    if (seconds <= 0) continue;  // added just now: nothing to measure yet
    partner.rates = PartnerRates{.sent = static_cast<double>(partner.sent) / seconds,
                                 .received = static_cast<double>(partner.received) / seconds};
    partner.sent = 0;
    partner.received = 0;
    partner.counting_since = now;
  }
}

PartnerRates PartnerScores::rates(const Endpoint& partner) const {
  auto it = partners_.find(partner);
  return it == partners_.end() ? PartnerRates{} : it->second.rates;
}

std::optional<Endpoint> PartnerScores::to_drop(TimePoint now) const {
  // The lowest score first; on a tie, the partner held longest.
  auto rank = [](const Partner& p) { return std::pair(p.rates.score(), p.added); };
  std::optional<Endpoint> worst;
  const Partner* worst_partner = nullptr;
  for (const auto& [id, partner] : partners_) {
    if (now - partner.added < config_.min_age) continue;
    if (worst_partner == nullptr || rank(partner) < rank(*worst_partner)) {
      worst = id;
      worst_partner = &partner;
    }
  }
  return worst;
}

}  // namespace p2p::coolstreaming
