// The assist server: fed by the source, serving any peer's requests within a large upload.
#include "coolstreaming/server.h"

#include "coolstreaming/framer.h"
#include "coolstreaming/serving.h"

namespace p2p::coolstreaming {

Server::Server(Runtime& runtime, ServerConfig config)
    : runtime_(runtime), config_(config), store_(config_.window) {}

void Server::on_start() {
  connect_source();
  runtime_.every(config_.period, [this] { tick(); });
}

void Server::connect_source() {
  feed_ = runtime_.connect(config_.source);
}

std::unique_ptr<Framer> Server::framer_for(ConnId, bool) {
  return make_framer();
}

void Server::on_connected(ConnId conn, bool inbound, const Endpoint&) {
  if (inbound) {
    inbound_.insert(conn);
  } else if (conn == feed_) {
    send_message(runtime_, conn,
                 Join{.listen_port = runtime_.local_endpoint().port,
                      .upload_kbps = config_.upload_kbps,
                      .overlay = Overlay::Mesh,
                      .role = Role::Server,
                      .attempt = 1});
  }
}

void Server::on_frame(ConnId conn, ByteView frame) {
  std::optional<Message> message = decode_or_reject(runtime_, conn, frame, received_, rejected_);
  if (!message) return;
  if (conn == feed_) {
    on_feed(conn, *message);
  } else {
    on_client(conn, *message);
  }
}

void Server::on_feed(ConnId conn, const Message& message) {
  if (const auto* segment = std::get_if<Segment>(&message)) {
    if (segment->segment >= config_.window) store_.advance_to(segment->segment - config_.window + 1);
    store_.add(segment->segment, segment->payload);
  } else if (!std::holds_alternative<JoinRedirect>(message)) {
    reject(runtime_, conn, "unexpected", std::string(type_name(type_of(message))) + " from the source",
           rejected_);
  }
}

void Server::on_client(ConnId conn, const Message& message) {
  if (inbound_.contains(conn) && std::holds_alternative<PartnerRequest>(message)) {
    inbound_.erase(conn);
    clients_.insert(conn);
    send_message(runtime_, conn, PartnerAccept{.upload_kbps = config_.upload_kbps});
    send_message(runtime_, conn, store_.message(true));
  } else if (const auto* asked = std::get_if<SegmentRequestMessage>(&message);
             asked && clients_.contains(conn)) {
    std::vector<ConnId> all(clients_.begin(), clients_.end());
    ServePlan plan = plan_serving(store_, asked->segments, true, queued_bytes(runtime_, all),
                                  upload_budget(config_.upload_kbps, config_.period));
    for (SegmentId segment : plan.send) {
      video_bytes_sent_ += store_.payload(segment)->size();
      send_message(runtime_, conn, Segment{.segment = segment, .payload = *store_.payload(segment)});
    }
    if (!plan.unavailable.empty())
      send_message(runtime_, conn, SegmentUnavailable{.segments = std::move(plan.unavailable)});
  } else if (!clients_.contains(conn) ||
             !(std::holds_alternative<BufferMapMessage>(message) ||
               std::holds_alternative<Membership>(message) || std::holds_alternative<Leave>(message))) {
    reject(runtime_, conn, "unexpected", std::string(type_name(type_of(message))) + " at the server",
           rejected_);
  }
}

void Server::tick() {
  for (ConnId conn : clients_) send_message(runtime_, conn, store_.message(true));
}

void Server::on_closed(ConnId conn, std::string_view reason) {
  count_framing_error(runtime_, reason, rejected_);
  inbound_.erase(conn);
  clients_.erase(conn);
  if (conn == feed_) {
    feed_.reset();
    runtime_.after(config_.reconnect, [this] { connect_source(); });
  }
}

nlohmann::json Server::status() const {
  return {{"partners", clients_.size()},
          {"children", 0},
          {"video_bytes_sent", video_bytes_sent_},
          {"refused_joins", 0},
          {"newest", store_.newest() ? nlohmann::json(*store_.newest()) : nlohmann::json(nullptr)}};
}

}  // namespace p2p::coolstreaming
