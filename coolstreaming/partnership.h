// Partnership: a node's partners (DONet's partnership manager), their buffer maps and their scores.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "common/net/endpoint.h"
#include "common/util/ids.h"
#include "common/util/random.h"
#include "common/util/time.h"
#include "coolstreaming/buffer_map.h"
#include "coolstreaming/partner_scores.h"
#include "coolstreaming/scheduler.h"
#include "coolstreaming/segment.h"

namespace p2p::coolstreaming {

struct PartnershipConfig {
  std::size_t target = 4;  // M: partners a node seeks (DONet's default, section 4)
  // Partners a node accepts when asked. Above M, so that a newcomer finds room among nodes that already
  // have their M; refinement brings them back toward M.
  std::size_t limit = 8;
  // A partner silent this long is gone (DONet, section 3.D: a departure is detected by a timeout). Buffer
  // maps come every period, so this is several missed maps.
  Duration timeout = std::chrono::seconds(10);
  PartnerScoresConfig scores;
};

// One connection of the partnership manager: asked for (by us or by it) or established.
struct Partner {
  Endpoint id;  // where it listens
  bool established = false;
  bool outbound = false;
  std::optional<BufferMap> map;   // its last buffer map
  bool uploading = true;          // what its last buffer map said
  std::uint32_t upload_kbps = 0;  // what it advertised when the partnership was made
  TimePoint last_heard{};
  // It answered SegmentUnavailable: its uplink is full or it lacks what it advertised, so it is not asked
  // again before this time.
  TimePoint busy_until{};
  std::map<SegmentId, TimePoint> sent{};  // when each segment was last sent to it (plan_serving)
};

// The partner table, by connection. Scores (max(s_ij, s_ji), PartnerScores) follow the established ones.
class Partnership {
 public:
  explicit Partnership(PartnershipConfig config) : config_(config), scores_(config.scores) {}

  const PartnershipConfig& config() const { return config_; }

  void add(ConnId conn, Partner partner) { partners_[conn] = std::move(partner); }
  void establish(ConnId conn, TimePoint now);
  // Forgets the connection; returns the partner it was, if any.
  std::optional<Partner> remove(ConnId conn);

  Partner* find(ConnId conn);
  const Partner* find(ConnId conn) const;
  std::optional<ConnId> find(const Endpoint& id) const;

  std::size_t established() const;
  // There is room to accept one more partner.
  bool has_room() const { return established() < config_.limit; }
  // Accept up to `limit` partners when that is more than now (a limit never shrinks under its partners).
  void raise_limit(std::size_t limit) { config_.limit = std::max(config_.limit, limit); }
  // Fewer than M partners, counting those we are asking: dial another candidate.
  bool wants_more() const { return partners_.size() < config_.target; }

  // Everyone we are partnered with or asking, so a new candidate is none of them.
  std::vector<Endpoint> members() const;
  // The connections silent longer than the timeout.
  std::vector<ConnId> timed_out(TimePoint now) const;
  std::vector<ConnId> established_conns() const;
  // The established partner that advertised the least upload (the longest-held one on a tie); none if there
  // is no established partner.
  std::optional<ConnId> weakest_uploader() const;
  // Where a gossip relay for member `to` goes: its connection if it is a partner, otherwise a random
  // established partner other than `except` (the one the news came from); none if there is nobody.
  std::optional<ConnId> relay_target(const Endpoint& to, std::optional<ConnId> except, Rng& rng) const;

  // The established partners with a buffer map that serve requests and are not busy at `now`, as the
  // scheduler sees them, in random order so that ties between equal suppliers spread the requests. Spare
  // bandwidth toward us is the rate it delivered to us last period, or at least its advertised upload shared
  // among M partners, in segments of `segment_kbit` per second.
  std::vector<Supplier> suppliers(double segment_kbit, const std::map<Endpoint, std::size_t>& outstanding,
                                  TimePoint now, Rng& rng) const;

  PartnerScores& scores() { return scores_; }
  const PartnerScores& scores() const { return scores_; }
  const std::map<ConnId, Partner>& all() const { return partners_; }

 private:
  PartnershipConfig config_;
  PartnerScores scores_;
  std::map<ConnId, Partner> partners_;
};

}  // namespace p2p::coolstreaming
