// The peer's side of the hybrid assist: start from the server, ask it only for what partners cannot deliver
// in time, and stop uploading while the own buffer runs low (seed 000's hybrid, seed 001's Spotify rules).
#include "coolstreaming/peer.h"

namespace p2p::coolstreaming {

void Peer::dial_assist(const Endpoint& server) {
  assist_id_ = server;
  assist_conn_ = runtime_.connect(server);
}

void Peer::on_assist_message(ConnId conn, const Message& message) {
  if (std::holds_alternative<PartnerAccept>(message) && !assist_ready_) {
    assist_ready_ = true;
    report_joined(true);
  } else if (const auto* map = std::get_if<BufferMapMessage>(&message); map && assist_ready_) {
    assist_map_ = unpack_or_reject(conn, *map);
    if (!assist_map_) return;
    // Newcomers start from the server: its window is the newest there is.
    if (!player_ && stream_) start_player(*assist_map_);
  } else if (const auto* segment = std::get_if<Segment>(&message); segment && assist_ready_) {
    server_bytes_ += segment->payload.size();
    pending_.erase(segment->segment);
    store_segment(*segment);
  } else if (const auto* unavailable = std::get_if<SegmentUnavailable>(&message);
             unavailable && assist_ready_) {
    for (SegmentId id : unavailable->segments) pending_.erase(id);
  } else {
    reject(runtime_, conn, "unexpected", std::string(type_name(type_of(message))) + " from the server",
           rejected_);
  }
}

// While buffering, the start-up segments the partners were not asked for; while playing, only the urgent
// ones (due within the scheduler's horizon and asked of no partner).
void Peer::request_from_assist(const Schedule& plan) {
  if (!assist_ready_ || !assist_map_ || !player_) return;
  std::vector<SegmentId> wanted = plan.urgent;
  if (!player_->playing()) {
    wanted = store_.map().missing(player_->play_point(), player_->play_point() + startup_segments() - 1);
  }
  SegmentRequestMessage request;
  for (SegmentId segment : wanted) {
    if (!assist_map_->has(segment) || pending_.contains(segment)) continue;
    request.segments.push_back(segment);
    pending_[segment] = Pending{.partner = assist_id_, .asked = runtime_.now()};
  }
  if (!request.segments.empty()) send_message(runtime_, *assist_conn_, request);
}

bool Peer::uploading() const {
  if (!config_.upload) return false;
  const bool low = assist_ready_ && player_ && player_->playing() &&
                   player_->buffered_ahead(store_.map()) < config_.low_buffer;
  return !low;
}

}  // namespace p2p::coolstreaming
