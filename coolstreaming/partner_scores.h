// PartnerScores: how much each partner exchanges with us, and which one partner refinement drops.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "common/net/endpoint.h"
#include "common/util/time.h"

namespace p2p::coolstreaming {

struct PartnerScoresConfig {
  // A partner younger than this is never the one dropped: it has not yet had time to show what it
  // exchanges (partnerships take a few buffer-map periods to start trading).
  Duration min_age = std::chrono::seconds(30);
};

// The segments exchanged with one partner over the last measuring period, per second.
struct PartnerRates {
  double sent = 0;      // s_ij: segments we uploaded to it
  double received = 0;  // s_ji: segments it uploaded to us

  // DONet's score, max(s_ij, s_ji): a partner is worth keeping if it is a good supplier or a good
  // customer, so a peer that only uploads (or the source's partners, which only download) is not dropped.
  double score() const { return sent > received ? sent : received; }
};

// Counts the segments sent to and received from each partner and turns them into per-second rates at the
// end of each period; partnership refinement then drops the partner with the lowest score and takes a new
// one from the mCache (DONet, Zhang et al., INFOCOM 2005, section 3.D). Ties go to the partner held
// longest, which has had the most time to prove itself. Time is passed in.
class PartnerScores {
 public:
  explicit PartnerScores(PartnerScoresConfig config = {}) : config_(config) {}

  void add(const Endpoint& partner, TimePoint now);
  void remove(const Endpoint& partner);
  bool contains(const Endpoint& partner) const { return partners_.contains(partner); }
  std::size_t size() const { return partners_.size(); }

  void on_sent(const Endpoint& partner, std::uint32_t segments = 1);
  void on_received(const Endpoint& partner, std::uint32_t segments = 1);
  // Closes the period: each partner's rates become what it exchanged since the period began (or since it
  // was added, if later) over that time, and its counts start again from zero.
  void end_period(TimePoint now);

  // The rates of the last closed period; zero before the first.
  PartnerRates rates(const Endpoint& partner) const;
  // The partner refinement should replace: the lowest score among partners at least min_age old; none if
  // every partner is younger.
  std::optional<Endpoint> to_drop(TimePoint now) const;

 private:
  struct Partner {
    TimePoint added{};
    TimePoint counting_since{};
    std::uint64_t sent = 0;
    std::uint64_t received = 0;
    PartnerRates rates;
  };

  PartnerScoresConfig config_;
  std::map<Endpoint, Partner> partners_;
};

}  // namespace p2p::coolstreaming
