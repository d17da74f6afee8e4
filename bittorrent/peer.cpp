// Peer: connections (dialling, handshakes, caps, timeouts), choking rounds, and the tracker's schedule.
#include "bittorrent/peer.h"

#include <algorithm>

#include "common/util/encoding.h"

namespace p2p::bittorrent {
namespace {

// Azureus-style peer id (BEP 20): "-PL0001-" names the client and version, then 12 characters drawn from the
// node's generator mixed with its address, so two processes started with the same --seed still differ.
PeerId make_peer_id(Rng& rng, const Endpoint& self) {
  constexpr std::string_view kPrefix = "-PL0001-";
  constexpr std::string_view kAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
  Rng mixed(rng.next() ^ (std::uint64_t{self.ipv4()} << 16 | self.port));
  PeerId id{};
  std::ranges::copy(kPrefix, id.begin());
  for (std::size_t i = kPrefix.size(); i < id.size(); ++i) {
    id[i] = static_cast<std::uint8_t>(kAlphabet[mixed.below(kAlphabet.size())]);
  }
  return id;
}

}  // namespace

Peer::Peer(Runtime& runtime, PeerConfig config)
    : runtime_(runtime),
      config_(std::move(config)),
      metainfo_(*config_.metainfo),
      layout_(metainfo_.layout()),
      peer_id_(make_peer_id(runtime.random(), runtime.local_endpoint())),
      picker_(layout_, config_.picker),
      choker_(config_.choker),
      assembly_(metainfo_) {
  if (config_.have.size() == layout_.piece_count()) {
    for (std::uint32_t i = 0; i < layout_.piece_count(); ++i) {
      if (config_.have.has(PieceIndex(i))) picker_.mark_have(PieceIndex(i));
    }
  }
  std::string url = config_.announce_url.empty() ? metainfo_.announce : config_.announce_url;
  auto announce = parse_announce_url(url);
  if (!announce) {
    runtime_.log(LogLevel::Error, "no tracker: " + announce.reason());
    return;
  }
  TrackerClientConfig tracker;
  tracker.url = *announce;
  tracker.info_hash = metainfo_.info_hash;
  tracker.peer_id = peer_id_;
  tracker.port = runtime_.local_endpoint().port;
  tracker.numwant = config_.numwant;
  tracker.retry = config_.tracker_retry;
  tracker_.emplace(
      runtime_, tracker,
      [this] {
        std::uint64_t left = 0;
        for (std::uint32_t i = 0; i < layout_.piece_count(); ++i) {
          if (!picker_.have().has(PieceIndex(i))) left += layout_.piece_size(PieceIndex(i));
        }
        return TransferTotals{uploaded_, downloaded_, left};
      },
      [this](const std::vector<TrackerPeer>& peers) { learn_peers(peers); });
}

void Peer::on_start() {
  started_at_ = runtime_.now();
  if (complete()) {
    completed_at_ = started_at_;
    verified_ = true;  // the storage was verified before the core was built
  }
  if (tracker_) tracker_->announce(AnnounceEvent::Started);
  runtime_.every(config_.choker.rechoke_period, [this] { rechoke(); });
  runtime_.every(config_.maintenance_period, [this] { maintain(); });
  if (complete() && config_.seed_time) runtime_.after(*config_.seed_time, [this] { leave(); });
}

std::optional<Duration> Peer::completed_after() const {
  if (!completed_at_) return std::nullopt;
  return *completed_at_ - started_at_;
}

std::unique_ptr<Framer> Peer::framer_for(ConnId, bool) {
  // Tracker connections get a ChunkFramer from TrackerClient once they are up; nothing arrives before.
  return std::make_unique<WireFramer>(layout_.piece_count());
}

void Peer::on_connected(ConnId conn, bool inbound, const Endpoint& remote) {
  if (tracker_ && tracker_->owns(conn)) return tracker_->on_connected(conn);
  if (leaving_) return runtime_.close(conn, "leaving");
  if (inbound && conns_.size() >= config_.max_peers) return runtime_.close(conn, "too many peers");
  auto [it, fresh] = conns_.try_emplace(conn, conn, inbound, remote, layout_.piece_count(), runtime_.now());
  // The side that dials speaks first; the side that answers waits to see which torrent is asked for.
  if (!inbound) send(it->second, encode_handshake(Handshake{{}, metainfo_.info_hash, peer_id_}));
}

void Peer::on_frame(ConnId id, ByteView frame) {
  if (tracker_ && tracker_->owns(id)) return tracker_->on_frame(id, frame);
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  PeerConnection& conn = it->second;
  conn.last_received = runtime_.now();
  if (conn.stage == PeerConnection::Stage::AwaitingHandshake) {
    on_handshake(conn, frame);
  } else {
    on_message(conn, frame);
  }
}

void Peer::on_handshake(PeerConnection& conn, ByteView frame) {
  auto handshake = decode_handshake(frame);
  if (!handshake) return close_conn(conn, "malformed handshake: " + handshake.reason());
  if (handshake->info_hash != metainfo_.info_hash) return close_conn(conn, "wrong info-hash");
  if (handshake->peer_id == peer_id_) return close_conn(conn, "connected to self");
  if (banned_ids_.contains(handshake->peer_id)) return close_conn(conn, "banned");
  for (const auto& [id, other] : conns_) {
    if (id != conn.id && other.stage == PeerConnection::Stage::Active &&
        other.peer_id == handshake->peer_id) {
      return close_conn(conn, "duplicate connection");
    }
  }
  conn.peer_id = handshake->peer_id;
  conn.stage = PeerConnection::Stage::Active;
  if (conn.inbound) send(conn, encode_handshake(Handshake{{}, metainfo_.info_hash, peer_id_}));
  // BEP 3: the bitfield comes first if sent at all, and a peer with no pieces may leave it out.
  if (!picker_.have().none()) send(conn, encode_message(Bitfield{picker_.have().bitfield()}));
}

void Peer::on_closed(ConnId id, std::string_view reason) {
  if (tracker_ && tracker_->owns(id)) return tracker_->on_closed(id, reason);
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  runtime_.log(LogLevel::Debug, "peer " + it->second.remote.str() + " closed: " + std::string(reason));
  picker_.drop_requests(id);
  picker_.remove_peer_pieces(it->second.pieces);
  conns_.erase(it);
  dial_more();
}

void Peer::close_conn(PeerConnection& conn, const std::string& reason) {
  ConnId id = conn.id;
  runtime_.log(LogLevel::Debug, "closing " + conn.remote.str() + ": " + reason);
  picker_.drop_requests(id);
  picker_.remove_peer_pieces(conn.pieces);
  conns_.erase(id);
  runtime_.close(id, reason);
  // Blocks it held are free again: ask the others for them.
  for (auto& [other_id, other] : conns_) request_more(other);
}

void Peer::send(PeerConnection& conn, Bytes bytes) {
  conn.last_sent = runtime_.now();
  runtime_.send(conn.id, std::move(bytes));
}

void Peer::learn_peers(const std::vector<TrackerPeer>& peers) {
  Endpoint self = runtime_.local_endpoint();
  for (const TrackerPeer& peer : peers) {
    // opentracker hands back the announcing peer too.
    if (peer.endpoint == self || banned_addresses_.contains(peer.endpoint)) continue;
    if (candidates_.size() < 4 * config_.max_peers) candidates_.try_emplace(peer.endpoint, TimePoint{});
  }
  dial_more();
}

void Peer::dial_more() {
  if (leaving_) return;
  std::size_t outbound = 0;
  std::set<Endpoint> connected;
  for (const auto& [id, conn] : conns_) {
    if (!conn.inbound) ++outbound;
    connected.insert(conn.remote);
  }
  TimePoint now = runtime_.now();
  for (auto& [endpoint, last_dialled] : candidates_) {
    if (outbound >= config_.dial_peers || conns_.size() >= config_.max_peers) break;
    if (connected.contains(endpoint)) continue;
    if (last_dialled != TimePoint{} && now - last_dialled < config_.redial_after) continue;
    last_dialled = now;
    ConnId id = runtime_.connect(endpoint);
    conns_.try_emplace(id, id, false, endpoint, layout_.piece_count(), now);
    ++outbound;
  }
}

void Peer::maintain() {
  TimePoint now = runtime_.now();
  std::vector<std::pair<ConnId, std::string>> doomed;
  for (auto& [id, conn] : conns_) {
    if (conn.stage == PeerConnection::Stage::AwaitingHandshake &&
        now - conn.connected_at >= config_.handshake_timeout) {
      doomed.emplace_back(id, "handshake timeout");
    } else if (now - conn.last_received >= config_.idle_timeout) {
      doomed.emplace_back(id, "idle timeout");
    } else if (conn.stage == PeerConnection::Stage::Active) {
      if (!conn.requested.empty() && now - conn.request_progress_at >= config_.request_timeout) {
        time_out_requests(conn);
      }
      if (now - conn.last_sent >= config_.keepalive_period) send(conn, encode_message(KeepAlive{}));
    }
  }
  for (const auto& [id, reason] : doomed) {
    if (auto it = conns_.find(id); it != conns_.end()) close_conn(it->second, reason);
  }
  dial_more();
}

// Its unanswered requests are cancelled (so a late answer does not waste its upload) and handed back to the
// picker, for the other peers to fetch.
void Peer::time_out_requests(PeerConnection& conn) {
  requests_timed_out_ += conn.requested.size();
  conn.stalled = true;
  Bytes cancels;
  for (const BlockRef& block : conn.requested) {
    picker_.cancel_request(conn.id, block);
    Bytes message =
        encode_message(Cancel{block.piece, block.begin(), layout_.block_size(block.piece, block.block)});
    cancels.insert(cancels.end(), message.begin(), message.end());
  }
  conn.requested.clear();
  send(conn, std::move(cancels));
  for (auto& [id, other] : conns_) {
    if (id != conn.id) request_more(other);
  }
}

void Peer::rechoke() {
  if (leaving_) return;
  TimePoint now = runtime_.now();
  std::vector<PeerView> views;
  for (const auto& [id, conn] : conns_) {
    if (conn.stage == PeerConnection::Stage::Active) views.push_back(conn.view(now));
  }
  ChokeDecision decision = choker_.rechoke(views, complete(), now, runtime_.random());
  for (auto& [id, conn] : conns_) {
    if (conn.stage != PeerConnection::Stage::Active) continue;
    conn.optimistic = std::ranges::find(decision.optimistic, id) != decision.optimistic.end();
    set_choking(conn, config_.free_rider || !decision.unchokes(id));
  }
}

void Peer::set_choking(PeerConnection& conn, bool choke) {
  if (conn.am_choking == choke) return;
  conn.am_choking = choke;
  // BEP 3: a choked peer's pending requests are discarded; it asks again once unchoked.
  if (choke) conn.queue.clear();
  send(conn, encode_message(choke ? Message(Choke{}) : Message(Unchoke{})));
}

void Peer::on_leave() {
  leave();
}

void Peer::leave() {
  if (leaving_) return;
  leaving_ = true;
  if (completed_at_ && config_.seed_time)
    runtime_.telemetry().event("seeding_over", {{"uploaded", uploaded_}});
  std::vector<ConnId> ids;
  for (const auto& [id, conn] : conns_) ids.push_back(id);
  for (ConnId id : ids) {
    if (auto it = conns_.find(id); it != conns_.end()) close_conn(it->second, "leaving");
  }
  if (tracker_) {
    tracker_->stop([this] { runtime_.stop(); });
  } else {
    runtime_.stop();
  }
}

}  // namespace p2p::bittorrent
