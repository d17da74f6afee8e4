// The peer's join: rendezvous, deputy, candidates, and retries with backoff; and the deputy's side of it.
#include "coolstreaming/peer.h"

#include <algorithm>

namespace p2p::coolstreaming {

void Peer::start_join() {
  retry_pending_ = false;
  if (leaving_) return;
  attempts_.begin(runtime_.now());
  last_attempt_ = runtime_.now();
  stage_ = JoinStage::Rendezvous;
  join_target_ = config_.source;
  join_conn_ = runtime_.connect(config_.source);
}

void Peer::retry_join(Duration retry_after) {
  if (join_conn_) runtime_.close(*join_conn_, "join over");
  join_conn_.reset();
  stage_ = JoinStage::Idle;
  if (retry_pending_ || leaving_) return;
  retry_pending_ = true;
  retry_timer_ =
      runtime_.after(attempts_.next_delay(retry_after, runtime_.random()), [this] { start_join(); });
}

// DONet's M is what a node seeks; what it accepts when asked is bounded by what its uplink can feed. A
// fibre line (50 Mbit/s up) carries a whole 500 kbit/s stream to a hundred partners: capped at 2M, that
// upload sits idle while peers on adsl lines, which cannot pass the stream on, feed each other and starve
// (SimNet, baseline.ini's line mix, 200 peers: 193 playing at continuity 0.988 with 2M; all 200 at 0.998
// with this rule). p2plab's rule: DONet's evaluation gave every node the same M.
void Peer::learn_stream(const StreamInfo& stream, TimePoint now) {
  stream_ = stream;
  stream_heard_ = now;
  if (config_.upload && stream.bitrate_kbps > 0)
    partners_.raise_limit(config_.upload_kbps / stream.bitrate_kbps);
}

// DONet, section 3.A: the origin redirects the newcomer to a deputy, and the deputy hands out candidates.
void Peer::on_join_answer(ConnId conn, const Message& message) {
  const TimePoint now = runtime_.now();
  if (const auto* refused = std::get_if<JoinRefused>(&message)) {
    runtime_.telemetry().event("join_refused", {{"by", join_target_.str()},
                                                {"attempt", attempts_.attempts()},
                                                {"retry_after_ms", refused->retry_after_ms}});
    retry_join(milliseconds(refused->retry_after_ms));
  } else if (const auto* redirect = std::get_if<JoinRedirect>(&message);
             redirect && stage_ == JoinStage::Rendezvous) {
    learn_stream(redirect->stream, now);
    runtime_.close(conn, "redirected");
    join_conn_.reset();
    if (redirect->assist.port != 0 && !assist_conn_) dial_assist(redirect->assist);
    if (redirect->deputy == config_.source) {
      // No member yet to be a deputy: the source is the only candidate.
      stage_ = JoinStage::Idle;
      dial_partner(config_.source);
      return;
    }
    stage_ = JoinStage::Deputy;
    join_target_ = redirect->deputy;
    join_conn_ = runtime_.connect(redirect->deputy);
  } else if (const auto* placed = std::get_if<TreeParent>(&message);
             placed && stage_ == JoinStage::Rendezvous) {
    learn_stream(placed->stream, now);
    runtime_.close(conn, "placed in the tree");
    join_conn_.reset();
    stage_ = JoinStage::Idle;
    attach_to(placed->parent);
  } else if (const auto* candidates = std::get_if<Candidates>(&message);
             candidates && stage_ == JoinStage::Deputy) {
    runtime_.close(conn, "candidates received");
    join_conn_.reset();
    stage_ = JoinStage::Idle;
    for (const MemberEntry& member : candidates->members) {
      gossip_.view().update(MemberRecord{.seq = 0,
                                         .id = member.address,
                                         .num_partner = member.num_partner,
                                         .ttl = config_.gossip.member_ttl},
                            now);
    }
    fill_partners();
    if (partners_.all().empty()) retry_join(Duration::zero());
  } else {
    reject(runtime_, conn, "unexpected", std::string(type_name(type_of(message))) + " while joining",
           rejected_);
  }
}

void Peer::leave_island(TimePoint now) {
  if (player_ || stage_ != JoinStage::Idle || retry_pending_ || now - last_attempt_ < config_.starve_after)
    return;
  for (ConnId conn : partners_.established_conns()) {
    const Partner& partner = *partners_.find(conn);
    if (!partner.map || partner.map->count() == 0) drop_partner(conn, "refined", "no segments");
  }
  retry_join(Duration::zero());
}

void Peer::on_join_at_deputy(ConnId conn, const Join& join, const Endpoint& remote) {
  if (leaving_ || !deputy_gate_.admit(runtime_.now())) {
    send_message(runtime_, conn, JoinRefused{.retry_after_ms = deputy_gate_.retry_after_ms()});
    return;
  }
  const Endpoint newcomer{remote.host, join.listen_port};
  const std::vector<Endpoint> exclude = {newcomer};
  Candidates answer;
  answer.members.push_back(
      MemberEntry{.address = self_, .num_partner = static_cast<std::uint16_t>(partners_.established())});
  const std::size_t more = std::min(config_.candidates, kMaxCandidates) - 1;
  for (const Endpoint& member : gossip_.view().pick(more, exclude, runtime_.random())) {
    const MCache::Entry* entry = gossip_.view().find(member);
    answer.members.push_back(MemberEntry{.address = member, .num_partner = entry->record.num_partner});
  }
  send_message(runtime_, conn, answer);
  // SCAMP's subscription: the contact keeps the newcomer and passes it to its partners.
  spread(gossip_.subscribe(newcomer, runtime_.now()), std::nullopt);
}

}  // namespace p2p::coolstreaming
