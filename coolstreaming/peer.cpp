// The peer: its connections, its partnership manager and its membership gossip.
#include "coolstreaming/peer.h"

#include "coolstreaming/framer.h"

namespace p2p::coolstreaming {

Peer::Peer(Runtime& runtime, PeerConfig config)
    : runtime_(runtime),
      config_(std::move(config)),
      self_(runtime.local_endpoint()),
      attempts_(config_.backoff),
      gossip_(self_, config_.gossip),
      deputy_gate_(config_.joins),
      partners_(config_.partnership),
      store_(config_.window),
      scheduler_(config_.scheduler) {}

void Peer::on_start() {
  start_join();
  runtime_.every(config_.period, [this] { tick(); });
  runtime_.every(config_.announce_every, [this] { announce(); });
  runtime_.every(config_.refine_every, [this] { refine(); });
}

std::unique_ptr<Framer> Peer::framer_for(ConnId, bool) {
  return make_framer();
}

void Peer::on_connected(ConnId conn, bool inbound, const Endpoint& remote) {
  if (inbound) {
    inbound_.add(conn, remote, runtime_.now());
    return;
  }
  if (conn == join_conn_) {
    send_message(
        runtime_, conn,
        Join{.listen_port = self_.port,
             .upload_kbps = config_.upload ? config_.upload_kbps : 0,
             .overlay = config_.overlay,
             .role = Role::Peer,
             .attempt = static_cast<std::uint8_t>(std::min<std::uint32_t>(attempts_.attempts(), 255))});
  } else if (conn == parent_conn_) {
    send_message(runtime_, conn, TreeAttach{.listen_port = self_.port});
  } else if (conn == assist_conn_) {
    send_message(runtime_, conn, PartnerRequest{.listen_port = self_.port, .upload_kbps = 0});
  } else if (partners_.find(conn) != nullptr) {
    send_message(
        runtime_, conn,
        PartnerRequest{.listen_port = self_.port, .upload_kbps = config_.upload ? config_.upload_kbps : 0});
  }
}

void Peer::on_frame(ConnId conn, ByteView frame) {
  std::optional<Message> message = decode_or_reject(runtime_, conn, frame, received_, rejected_);
  if (!message) return;
  if (conn == join_conn_) {
    on_join_answer(conn, *message);
  } else if (conn == parent_conn_) {
    on_parent_message(conn, *message);
  } else if (conn == assist_conn_) {
    on_assist_message(conn, *message);
  } else if (children_.contains(conn)) {
    reject(runtime_, conn, "unexpected", std::string(type_name(type_of(*message))) + " from a child",
           rejected_);
  } else if (Partner* partner = partners_.find(conn)) {
    partner->last_heard = runtime_.now();
    on_partner_message(conn, *partner, *message);
  } else if (std::optional<Endpoint> from = inbound_.take(conn)) {
    const Endpoint remote = *from;
    if (const auto* join = std::get_if<Join>(&*message)) {
      on_join_at_deputy(conn, *join, remote);
    } else if (const auto* request = std::get_if<PartnerRequest>(&*message)) {
      on_partner_request(conn, *request, remote);
    } else if (std::holds_alternative<TreeAttach>(*message)) {
      on_tree_attach(conn);
    } else {
      reject(runtime_, conn, "unexpected",
             std::string(type_name(type_of(*message))) + " before a partnership", rejected_);
    }
  }
}

void Peer::on_partner_message(ConnId conn, Partner& partner, const Message& message) {
  if (!partner.established) {
    if (const auto* accept = std::get_if<PartnerAccept>(&message); accept && partner.outbound) {
      partner.upload_kbps = accept->upload_kbps;
      partners_.establish(conn, runtime_.now());
      partner_up(conn, "accepted");
    } else if (std::holds_alternative<PartnerRefuse>(message) && partner.outbound) {
      partners_.remove(conn);
      runtime_.close(conn, "partnership refused");
    } else {
      reject(runtime_, conn, "unexpected", std::string(type_name(type_of(message))) + " before an answer",
             rejected_);
    }
    return;
  }
  if (const auto* map = std::get_if<BufferMapMessage>(&message)) {
    on_buffer_map(partner, *map, conn);
  } else if (const auto* asked = std::get_if<SegmentRequestMessage>(&message)) {
    serve(conn, *asked);
  } else if (const auto* segment = std::get_if<Segment>(&message)) {
    on_segment(conn, *segment);
  } else if (const auto* unavailable = std::get_if<SegmentUnavailable>(&message)) {
    partner.busy_until = runtime_.now() + config_.period;
    for (SegmentId id : unavailable->segments) {
      if (auto it = pending_.find(id); it != pending_.end() && it->second.partner == partner.id)
        pending_.erase(it);
    }
  } else if (const auto* heard = std::get_if<Membership>(&message)) {
    if (auto out = gossip_.on_membership(*heard, partner.id, runtime_.now(), runtime_.random())) {
      if (auto to = partners_.relay_target(out->to, conn, runtime_.random()))
        send_message(runtime_, *to, out->message);
    }
  } else if (const auto* left = std::get_if<Leave>(&message)) {
    const bool self_announced = left->id == partner.id;
    if (auto onward = gossip_.on_leave(*left)) spread(*onward, conn);
    if (self_announced) drop_partner(conn, "left", "partner left");
  } else {
    reject(runtime_, conn, "unexpected", std::string(type_name(type_of(message))) + " from a partner",
           rejected_);
  }
}

// DONet, section 3.A: a node asked for partnership accepts while it has room.
void Peer::on_partner_request(ConnId conn, const PartnerRequest& request, const Endpoint& remote) {
  const Endpoint id{remote.host, request.listen_port};
  if (leaving_ || !partners_.has_room() || id == self_ || partners_.find(id)) {
    send_message(runtime_, conn, PartnerRefuse{});
    return;
  }
  if (config_.overlay == Overlay::Tree) {
    reject(runtime_, conn, "unexpected", "partner request in the tree overlay", rejected_);
    return;
  }
  partners_.add(conn, Partner{.id = id,
                              .established = false,
                              .outbound = false,
                              .map = std::nullopt,
                              .uploading = true,
                              .upload_kbps = request.upload_kbps,
                              .last_heard = runtime_.now()});
  partners_.establish(conn, runtime_.now());
  send_message(runtime_, conn, PartnerAccept{.upload_kbps = config_.upload ? config_.upload_kbps : 0});
  partner_up(conn, "asked");
}

void Peer::partner_up(ConnId conn, std::string_view reason) {
  const Partner& partner = *partners_.find(conn);
  runtime_.telemetry().event("partner_up", {{"partner", partner.id.str()}, {"reason", reason}});
  report_joined(false);
  send_message(runtime_, conn, store_.message(uploading()));
}

void Peer::report_joined(bool via_server) {
  attempts_.succeeded();
  if (joined_) return;
  joined_ = true;
  const TimePoint first = attempts_.first_attempt().value_or(runtime_.now());
  runtime_.telemetry().event("joined", {{"attempts", attempts_.attempts()},
                                        {"join_ms", to_millis(runtime_.now() - first)},
                                        {"overlay", config_.overlay == Overlay::Tree ? "tree" : "mesh"},
                                        {"via_server", via_server}});
}

void Peer::drop_partner(ConnId conn, std::string_view reason, const std::string& close_reason) {
  std::optional<Partner> partner = partners_.remove(conn);
  runtime_.close(conn, close_reason);
  if (!partner || !partner->established) return;
  std::erase_if(pending_, [&](const auto& entry) { return entry.second.partner == partner->id; });
  runtime_.telemetry().event("partner_down", {{"partner", partner->id.str()}, {"reason", reason}});
}

void Peer::dial_partner(const Endpoint& candidate) {
  ConnId conn = runtime_.connect(candidate);
  partners_.add(conn, Partner{.id = candidate,
                              .established = false,
                              .outbound = true,
                              .map = std::nullopt,
                              .uploading = true,
                              .upload_kbps = 0,
                              .last_heard = runtime_.now()});
}

void Peer::fill_partners() {
  if (leaving_) return;
  while (partners_.wants_more()) {
    std::vector<Endpoint> exclude = partners_.members();
    std::vector<Endpoint> pick = gossip_.view().pick(1, exclude, runtime_.random());
    if (pick.empty()) return;
    dial_partner(pick.front());
  }
}

void Peer::spread(const Message& message, std::optional<ConnId> except) {
  for (ConnId conn : partners_.established_conns()) {
    if (conn != except) send_message(runtime_, conn, message);
  }
}

void Peer::tick() {
  if (leaving_) return;
  const TimePoint now = runtime_.now();
  if (stage_ != JoinStage::Idle && now - last_attempt_ > config_.join_timeout) retry_join(Duration::zero());
  for (ConnId conn : inbound_.take_expired(now, config_.hello_timeout)) runtime_.close(conn, "hello timeout");
  if (config_.overlay == Overlay::Tree) {
    tree_tick(now);
    return;
  }
  for (ConnId conn : partners_.timed_out(now)) {
    const Endpoint id = partners_.find(conn)->id;
    const bool established = partners_.find(conn)->established;
    drop_partner(conn, "timeout", "partner timeout");
    // A partner gone silent is announced on its behalf (DONet, section 3.D).
    if (established) {
      gossip_.view().remove(id);
      spread(gossip_.departure(id), std::nullopt);
    }
  }
  gossip_.view().expire(now);
  expire_requests(now);
  for (ConnId conn : partners_.established_conns()) send_message(runtime_, conn, store_.message(uploading()));
  schedule();
  fill_partners();
  if (partners_.all().empty() && stage_ == JoinStage::Idle && !retry_pending_) retry_join(Duration::zero());
  leave_island(now);
}

// DONet, section 3.D: now and then the partner with the lowest score is dropped for a new one.
void Peer::refine() {
  const TimePoint now = runtime_.now();
  if (!leaving_ && partners_.established() >= partners_.config().target && gossip_.view().size() > 0) {
    if (auto worst = partners_.scores().to_drop(now)) {
      if (auto conn = partners_.find(*worst)) drop_partner(*conn, "refined", "partnership refined");
    }
  }
  partners_.scores().end_period(now);
}

void Peer::announce() {
  if (leaving_) return;
  spread(gossip_.announce(static_cast<std::uint16_t>(partners_.established())), std::nullopt);
}

void Peer::on_closed(ConnId conn, std::string_view reason) {
  count_framing_error(runtime_, reason, rejected_);
  inbound_.erase(conn);
  children_.erase(conn);
  if (conn == parent_conn_) {
    orphaned("orphaned");
    return;
  }
  if (conn == assist_conn_) {
    assist_conn_.reset();
    assist_ready_ = false;
    assist_map_.reset();
    return;
  }
  if (conn == join_conn_) {
    join_conn_.reset();
    if (stage_ != JoinStage::Idle) retry_join(Duration::zero());
    return;
  }
  if (partners_.find(conn) != nullptr) drop_partner(conn, "closed", std::string(reason));
}

// DONet, section 3.D: a leaving node announces its departure.
void Peer::on_leave() {
  spread(gossip_.departure(self_), std::nullopt);
  leaving_ = true;
  for (const auto& [conn, partner] : partners_.all()) runtime_.close(conn, "leaving");
  for (ConnId child : children_) runtime_.close(child, "leaving");
  if (parent_conn_) runtime_.close(*parent_conn_, "leaving");
  if (retry_pending_) runtime_.cancel(retry_timer_);
  runtime_.stop();
}

}  // namespace p2p::coolstreaming
