// The source: segment production, the rendezvous's join handling, and serving its few partners.
#include "coolstreaming/source.h"

#include <algorithm>

#include "coolstreaming/framer.h"
#include "coolstreaming/serving.h"
#include "coolstreaming/stream_bytes.h"

namespace p2p::coolstreaming {

Source::Source(Runtime& runtime, SourceConfig config)
    : runtime_(runtime),
      config_(std::move(config)),
      self_(runtime.local_endpoint()),
      store_(config_.window),
      joins_(config_.joins),
      gossip_(self_, config_.gossip),
      partners_(PartnershipConfig{.target = config_.max_partners,
                                  .limit = config_.max_partners,
                                  .timeout = std::chrono::seconds(10),
                                  .scores = {}}),
      tree_(self_, config_.max_partners) {
  if (!config_.payload) config_.payload = synthetic_segment;
}

void Source::on_start() {
  produce();
  produce_timer_ = runtime_.every(milliseconds(config_.segment_ms), [this] { produce(); });
  runtime_.every(config_.period, [this] { tick(); });
  runtime_.every(config_.announce_every, [this] {
    Membership announcement = gossip_.announce(static_cast<std::uint16_t>(partners_.established()));
    for (ConnId conn : partners_.established_conns()) send_message(runtime_, conn, announcement);
  });
}

void Source::produce() {
  if (ended_) return;
  Bytes payload = config_.payload(next_, segment_size(config_.bitrate_kbps, config_.segment_ms));
  if (payload.empty()) {
    ended_ = true;
    runtime_.cancel(produce_timer_);
    return;
  }
  if (next_ >= config_.window) store_.advance_to(next_ - config_.window + 1);
  const Segment segment{.segment = next_, .payload = std::move(payload)};
  std::vector<ConnId> fed;
  for (const auto& [conn, child] : children_) fed.push_back(conn);
  if (server_) fed.push_back(*server_);
  for (ConnId conn : fed) {
    video_bytes_sent_ += segment.payload.size();
    send_message(runtime_, conn, segment);
  }
  store_.add(next_, segment.payload);
  ++next_;
}

void Source::tick() {
  const TimePoint now = runtime_.now();
  for (ConnId conn : partners_.timed_out(now)) runtime_.close(conn, "partner timeout");
  for (ConnId conn : inbound_.take_expired(now, config_.hello_timeout)) runtime_.close(conn, "hello timeout");
  gossip_.view().expire(now);
  for (ConnId conn : partners_.established_conns()) send_message(runtime_, conn, store_.message(true));
}

std::unique_ptr<Framer> Source::framer_for(ConnId, bool) {
  return make_framer();
}

void Source::on_connected(ConnId conn, bool inbound, const Endpoint& remote) {
  if (inbound) inbound_.add(conn, remote, runtime_.now());
}

void Source::on_frame(ConnId conn, ByteView frame) {
  std::optional<Message> message = decode_or_reject(runtime_, conn, frame, received_, rejected_);
  if (!message) return;
  if (Partner* partner = partners_.find(conn)) partner->last_heard = runtime_.now();
  const bool partner = partners_.find(conn) != nullptr;
  if (conn == server_) return;  // the server says nothing after its Join
  if (const auto* join = std::get_if<Join>(&*message); join && !partner) {
    on_join(conn, *join);
  } else if (const auto* request = std::get_if<PartnerRequest>(&*message); request && !partner) {
    on_partner_request(conn, *request);
  } else if (const auto* attach = std::get_if<TreeAttach>(&*message);
             attach && !partner && !children_.contains(conn)) {
    on_tree_attach(conn, *attach);
  } else if (const auto* asked = std::get_if<SegmentRequestMessage>(&*message); asked && partner) {
    on_segment_request(conn, *asked);
  } else if (const auto* heard = std::get_if<Membership>(&*message); heard && partner) {
    if (auto out = gossip_.on_membership(*heard, partners_.find(conn)->id, runtime_.now(), runtime_.random()))
      if (auto to = partners_.relay_target(out->to, conn, runtime_.random()))
        send_message(runtime_, *to, out->message);
  } else if (const auto* left = std::get_if<Leave>(&*message); left && partner) {
    gossip_.on_leave(*left);
    if (left->id == partners_.find(conn)->id) runtime_.close(conn, "partner left");
  } else if (!std::holds_alternative<BufferMapMessage>(*message) || !partner) {
    reject(runtime_, conn, "unexpected", std::string(type_name(type_of(*message))) + " on this connection",
           rejected_);
  }
}

void Source::on_join(ConnId conn, const Join& join) {
  if (join.role == Role::Server) {
    server_ = conn;
    assist_ = Endpoint{inbound_.remote(conn).host, join.listen_port};
    inbound_.erase(conn);
    send_message(runtime_, conn,
                 JoinRedirect{.stream = {.bitrate_kbps = config_.bitrate_kbps,
                                         .segment_ms = config_.segment_ms,
                                         .live_segment = next_ == 0 ? 0 : next_ - 1},
                              .deputy = self_,
                              .assist = assist_});
    return;
  }
  if (!joins_.admit(runtime_.now())) {
    send_message(runtime_, conn, JoinRefused{.retry_after_ms = joins_.retry_after_ms()});
    return;
  }
  const Endpoint newcomer{inbound_.remote(conn).host, join.listen_port};
  const StreamInfo stream{.bitrate_kbps = config_.bitrate_kbps,
                          .segment_ms = config_.segment_ms,
                          .live_segment = next_ == 0 ? 0 : next_ - 1};
  if (join.overlay == Overlay::Tree) {
    auto parent = place_in_tree(newcomer, join);
    if (!parent) {
      send_message(runtime_, conn, JoinRefused{.retry_after_ms = joins_.retry_after_ms()});
      return;
    }
    send_message(runtime_, conn, TreeParent{.stream = stream, .parent = *parent});
    return;
  }
  // While the source has a free partner slot, an uploading newcomer takes it (the redirect names the source
  // itself); otherwise a random member of the mCache is the deputy.
  const std::vector<Endpoint> exclude = {newcomer};
  std::vector<Endpoint> deputy = gossip_.view().pick(1, exclude, runtime_.random());
  const bool take_slot = deputy.empty() || takes_partner(join.upload_kbps);
  send_message(
      runtime_, conn,
      JoinRedirect{.stream = stream, .deputy = take_slot ? self_ : deputy.front(), .assist = assist_});
  // SCAMP's subscription (DONet, section 3.A): the contact keeps the newcomer and spreads it to its partners.
  Membership subscription = gossip_.subscribe(newcomer, runtime_.now());
  for (ConnId partner : partners_.established_conns()) send_message(runtime_, partner, subscription);
}

// The source's few partners are the whole overlay's way in: every segment enters the mesh through their
// uplinks. A partner that cannot pass the stream on (an adsl line uploads 256 of the 500 kbit/s) starves
// everyone behind it, and the first arrivals are as likely as anyone to be on such a line. So its slots go to
// the peers that advertise the most upload: a non-contributor (upload 0) is refused, and when the slots are
// full a newcomer that advertises more than the weakest partner takes that partner's place. The rule is
// p2plab's own, not DONet's (whose origin is an ordinary member); it is what the tree baseline's rendezvous
// does for the same reason, and End System Multicast's "Narada" favours high-bandwidth links near the root
// alike. The replaced peer keeps its other partners and refills from its mCache.
bool Source::takes_partner(std::uint32_t upload_kbps) const {
  if (upload_kbps == 0) return false;
  if (partners_.has_room()) return true;
  auto weakest = partners_.weakest_uploader();
  return weakest && partners_.find(*weakest)->upload_kbps < upload_kbps;
}

void Source::on_partner_request(ConnId conn, const PartnerRequest& request) {
  if (!takes_partner(request.upload_kbps)) {
    send_message(runtime_, conn, PartnerRefuse{});
    return;
  }
  if (!partners_.has_room()) {
    const ConnId weakest = *partners_.weakest_uploader();
    partners_.remove(weakest);
    runtime_.close(weakest, "replaced by a stronger uploader");
  }
  partners_.add(conn, Partner{.id = Endpoint{inbound_.remote(conn).host, request.listen_port},
                              .established = false,
                              .outbound = false,
                              .map = std::nullopt,
                              .uploading = true,
                              .upload_kbps = request.upload_kbps,
                              .last_heard = runtime_.now()});
  inbound_.erase(conn);
  partners_.establish(conn, runtime_.now());
  send_message(runtime_, conn, PartnerAccept{.upload_kbps = config_.upload_kbps});
  send_message(runtime_, conn, store_.message(true));
}

std::optional<Endpoint> Source::place_in_tree(const Endpoint& newcomer, const Join& join) {
  const std::size_t slots = join.upload_kbps / config_.bitrate_kbps;
  // A second attempt is an orphan's (or a refused newcomer's, which the registry does not hold yet).
  const bool orphan = join.attempt > 1;
  if (auto parent = tree_.place(newcomer, slots, orphan, runtime_.random())) return parent;
  std::optional<Endpoint> displaced = tree_.make_room_at_root(slots);
  if (!displaced) return std::nullopt;
  auto child = std::ranges::find_if(children_, [&](const auto& entry) { return entry.second == *displaced; });
  if (child != children_.end()) {
    runtime_.close(child->first, "replaced by a stronger uploader");
    children_.erase(child);
  }
  return tree_.place(newcomer, slots, orphan, runtime_.random());
}

void Source::on_tree_attach(ConnId conn, const TreeAttach& attach) {
  if (children_.size() >= config_.max_partners) {
    send_message(runtime_, conn, PartnerRefuse{});
    return;
  }
  children_[conn] = Endpoint{inbound_.remote(conn).host, attach.listen_port};
  inbound_.erase(conn);
  send_message(runtime_, conn, PartnerAccept{.upload_kbps = config_.upload_kbps});
}

void Source::on_segment_request(ConnId conn, const SegmentRequestMessage& request) {
  ServePlan plan =
      plan_serving(store_, request.segments, true, queued_bytes(runtime_, partners_.established_conns()),
                   upload_budget(config_.upload_kbps, config_.period),
                   RepeatCheck{partners_.find(conn)->sent, runtime_.now(), config_.period});
  requests_duplicate_ += plan.duplicates;
  for (SegmentId segment : plan.send) {
    const Bytes& payload = *store_.payload(segment);
    video_bytes_sent_ += payload.size();
    send_message(runtime_, conn, Segment{.segment = segment, .payload = payload});
  }
  partners_.scores().on_sent(partners_.find(conn)->id, static_cast<std::uint32_t>(plan.send.size()));
  if (!plan.unavailable.empty())
    send_message(runtime_, conn, SegmentUnavailable{.segments = std::move(plan.unavailable)});
}

void Source::on_closed(ConnId conn, std::string_view reason) {
  count_framing_error(runtime_, reason, rejected_);
  inbound_.erase(conn);
  children_.erase(conn);
  partners_.remove(conn);
  if (conn == server_) {
    server_.reset();
    assist_ = Endpoint{"0.0.0.0", 0};
  }
}

nlohmann::json Source::status() const {
  return {{"partners", partners_.established()},
          {"children", children_.size()},
          {"video_bytes_sent", video_bytes_sent_},
          {"requests_duplicate", requests_duplicate_},
          {"refused_joins", joins_.refused()},
          {"newest", store_.newest() ? nlohmann::json(*store_.newest()) : nlohmann::json(nullptr)}};
}

}  // namespace p2p::coolstreaming
