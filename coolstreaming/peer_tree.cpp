// The peer in the multicast-tree baseline: attach under the parent the rendezvous names, take children
// within its upload, forward every segment down, and join again when orphaned.
#include "coolstreaming/peer.h"

namespace p2p::coolstreaming {

void Peer::attach_to(const Endpoint& parent) {
  parent_ = parent;
  attached_ = false;
  parent_heard_ = runtime_.now();
  parent_conn_ = runtime_.connect(parent);
}

void Peer::on_parent_message(ConnId conn, const Message& message) {
  parent_heard_ = runtime_.now();
  if (std::holds_alternative<PartnerAccept>(message) && !attached_) {
    attached_ = true;
    report_joined(false);
    runtime_.telemetry().event("parent_changed", {{"parent", parent_.str()}, {"reason", "attached"}});
  } else if (std::holds_alternative<PartnerRefuse>(message) && !attached_) {
    runtime_.close(conn, "attach refused");
    orphaned("refused");
  } else if (const auto* segment = std::get_if<Segment>(&message); segment && attached_) {
    if (!player_) start_player_at(segment->segment);
    Segment copy = *segment;
    // End System Multicast: an inner node forwards the whole stream to each child.
    if (store_segment(std::move(copy))) {
      for (ConnId child : children_) send_message(runtime_, child, *segment);
    }
  } else {
    reject(runtime_, conn, "unexpected", std::string(type_name(type_of(message))) + " from the parent",
           rejected_);
  }
}

std::size_t Peer::tree_slots() const {
  if (!config_.upload || !stream_ || stream_->bitrate_kbps == 0) return 0;
  return config_.upload_kbps / stream_->bitrate_kbps;
}

// A node takes the children the rendezvous placed under it even before its own parent has accepted it: the
// rendezvous counted the slot already, and the segments flow as soon as they reach it.
void Peer::on_tree_attach(ConnId conn) {
  if (leaving_ || children_.size() >= tree_slots()) {
    send_message(runtime_, conn, PartnerRefuse{});
    return;
  }
  children_.insert(conn);
  send_message(runtime_, conn, PartnerAccept{.upload_kbps = config_.upload_kbps});
}

// The tree has no other path: the orphan (and, through it, its whole subtree) waits for a new parent.
void Peer::orphaned(std::string_view reason) {
  if (parent_conn_) runtime_.close(*parent_conn_, std::string(reason));
  const bool was_attached = attached_;
  parent_conn_.reset();
  attached_ = false;
  if (was_attached) runtime_.telemetry().event("parent_changed", {{"parent", nullptr}, {"reason", reason}});
  retry_join(Duration::zero());
}

void Peer::tree_tick(TimePoint now) {
  if (parent_conn_ && now - parent_heard_ > config_.parent_timeout) orphaned("timeout");
  if (!parent_conn_ && stage_ == JoinStage::Idle && !retry_pending_) retry_join(Duration::zero());
}

}  // namespace p2p::coolstreaming
