// MagnetPeer: the metadata phase's connections and tracker, and the hand-over to a Peer.
#include "bittorrent/magnet_peer.h"

#include <utility>

#include "bittorrent/extension_wire.h"

namespace p2p::bittorrent {
namespace {

// What a remote may send besides the metadata before the torrent is known, kept for the Peer: a bitfield of
// a million pieces and every have of them fit.
constexpr std::size_t kMaxHeldBytes = std::size_t{4} << 20;

MetadataFetchConfig fetch_config(const MagnetPeerConfig& config) {
  MetadataFetchConfig out = config.fetch;
  out.info_hash = config.link.info_hash;
  return out;
}

}  // namespace

MagnetPeer::MagnetPeer(Runtime& runtime, MagnetPeerConfig config)
    : runtime_(runtime),
      config_(std::move(config)),
      peer_id_(config_.peer.peer_id.value_or(make_peer_id(runtime.random(), runtime.local_endpoint()))),
      fetch_(runtime, fetch_config(config_), *this,
             [this] { runtime_.after(Duration{0}, [this] { hand_over(); }); }),
      dial_list_(DialListConfig{.max_addresses = 4 * config_.peer.max_peers,
                                .redial_after = config_.peer.redial_after,
                                .self = runtime.local_endpoint(),
                                .yield_for = config_.peer.yield_for}),
      dht_(make_peer_dht(runtime, config_.peer, config_.link.info_hash)) {
  if (dht_) dht_->on_peers([this](const std::vector<Endpoint>& peers) { learn(peers, PeerSource::Dht); });
  if (config_.link.trackers.empty()) return;
  auto announce = parse_announce_url(config_.link.trackers.front());
  if (!announce) {
    runtime_.log(LogLevel::Error, "no tracker: " + announce.reason());
    return;
  }
  TrackerClientConfig tracker;
  tracker.url = *announce;
  tracker.info_hash = config_.link.info_hash;
  tracker.peer_id = peer_id_;
  tracker.port = runtime_.local_endpoint().port;
  tracker.numwant = config_.peer.numwant;
  tracker.retry = config_.peer.tracker_retry;
  // `left` is unknown until the metadata is in; any amount above 0 says we are not a seed.
  tracker_.emplace(
      runtime_, tracker,
      [] {
        return TransferTotals{0, 0, 1};
      },
      [this](const std::vector<TrackerPeer>& peers) {
        std::vector<Endpoint> endpoints;
        for (const TrackerPeer& peer : peers) endpoints.push_back(peer.endpoint());
        learn(endpoints, PeerSource::Tracker);
      });
}

void MagnetPeer::on_start() {
  started_at_ = runtime_.now();
  if (tracker_) tracker_->announce(AnnounceEvent::Started);
  if (dht_) dht_->start();
  learn(config_.link.peers, PeerSource::Given);
  runtime_.every(config_.peer.maintenance_period, [this] { maintain(); });
}

std::unique_ptr<Framer> MagnetPeer::framer_for(ConnId conn, bool inbound) {
  if (peer_) return peer_->framer_for(conn, inbound);
  // No piece count yet: bitfields are not read, and BEP 10 messages fit the extension protocol's cap.
  return std::make_unique<WireFramer>(0, true);
}

void MagnetPeer::on_connected(ConnId conn, bool inbound, const Endpoint& remote) {
  if (retired_.contains(conn)) return;
  if (peer_) return peer_->on_connected(conn, inbound, remote);
  if (tracker_ && tracker_->owns(conn)) return tracker_->on_connected(conn);
  if (leaving_) return runtime_.close(conn, "leaving");
  if (inbound && conns_.size() >= config_.peer.max_peers) return runtime_.close(conn, "too many peers");
  auto [it, fresh] = conns_.try_emplace(conn, conn, inbound, remote, 0, runtime_.now());
  if (!inbound)
    send(it->second, encode_handshake(our_handshake(config_.link.info_hash, peer_id_, dht_ != nullptr)));
}

void MagnetPeer::on_datagram(const Endpoint& from, ByteView bytes) {
  if (peer_) return peer_->on_datagram(from, bytes);
  if (dht_) dht_->on_datagram(from, bytes);
}

void MagnetPeer::on_frame(ConnId id, ByteView frame) {
  if (retired_.contains(id)) return;
  if (peer_) return peer_->on_frame(id, frame);
  if (tracker_ && tracker_->owns(id)) return tracker_->on_frame(id, frame);
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  it->second.last_received = runtime_.now();
  if (it->second.stage == PeerConnection::Stage::AwaitingHandshake) return on_handshake(it->second, frame);
  on_message(it->second, frame);
}

void MagnetPeer::on_handshake(PeerConnection& conn, ByteView frame) {
  auto handshake = decode_handshake(frame);
  if (!handshake) return close(conn, "malformed handshake: " + handshake.reason());
  if (handshake->info_hash != config_.link.info_hash) return close(conn, "wrong info-hash");
  if (handshake->peer_id == peer_id_) return close(conn, "connected to self");
  // BEP 9 runs over BEP 10: a peer without the extension protocol cannot give the metadata.
  if (!supports_extension_protocol(*handshake)) return close(conn, "no extension protocol");
  conn.peer_id = handshake->peer_id;
  conn.stage = PeerConnection::Stage::Active;
  if (conn.inbound)
    send(conn, encode_handshake(our_handshake(config_.link.info_hash, peer_id_, dht_ != nullptr)));
  send(conn, our_extension_handshake(OurExtensions{.pex = false,
                                                   .listen_port = runtime_.local_endpoint().port,
                                                   .metadata_size = std::nullopt,
                                                   .reqq = 0}));
  send_dht_port(runtime_, *this, conn, *handshake, dht_.get());
}

// The metadata goes to the fetch; everything else waits for the Peer, which reads it once the torrent is
// known.
void MagnetPeer::on_message(PeerConnection& conn, ByteView frame) {
  auto message = decode_message(frame);
  if (!message) return close(conn, "malformed message: " + message.reason());
  const auto* extended = std::get_if<Extended>(&*message);
  if (extended != nullptr && extended->extended_id == kOurUtMetadataId)
    return fetch_.on_message(conn, extended->payload);
  auto& [frames, bytes] = held_[conn.id];
  bytes += frame.size();
  if (bytes > kMaxHeldBytes) return close(conn, "too many messages before the metadata");
  frames.emplace_back(frame.begin(), frame.end());
  if (extended == nullptr || extended->extended_id != extension::kHandshakeId) return;
  auto theirs = extension::decode_extension_handshake(extended->payload);
  if (!theirs) return close(conn, "malformed " + theirs.reason());
  fetch_.on_handshake(conn, *theirs);
}

void MagnetPeer::on_closed(ConnId id, std::string_view reason) {
  if (retired_.erase(id) > 0) return;
  if (peer_) return peer_->on_closed(id, reason);
  if (tracker_ && tracker_->owns(id)) return tracker_->on_closed(id, reason);
  held_.erase(id);
  if (conns_.erase(id) == 0) return;
  fetch_.forget(id);
  dial_more();
}

void MagnetPeer::send(PeerConnection& conn, Bytes bytes) {
  conn.last_sent = runtime_.now();
  runtime_.send(conn.id, std::move(bytes));
}

void MagnetPeer::close(PeerConnection& conn, const std::string& reason) {
  ConnId id = conn.id;
  runtime_.log(LogLevel::Debug, "closing " + conn.remote.str() + ": " + reason);
  conns_.erase(id);
  held_.erase(id);
  runtime_.close(id, reason);
  fetch_.forget(id);
}

void MagnetPeer::learn(const std::vector<Endpoint>& peers, PeerSource source) {
  Endpoint self = runtime_.local_endpoint();
  for (const Endpoint& peer : peers) {
    if (peer != self) dial_list_.learn(peer, source, runtime_.now());
  }
  dial_more();
}

void MagnetPeer::dial_more() {
  if (leaving_ || peer_) return;
  std::set<Endpoint> connected;
  std::size_t outbound = 0;
  for (const auto& [id, conn] : conns_) {
    connected.insert(conn.remote);
    if (!conn.inbound) ++outbound;
  }
  std::size_t room = config_.peer.dial_peers - std::min(outbound, config_.peer.dial_peers);
  TimePoint now = runtime_.now();
  for (const DialList::Due& due : dial_list_.due(connected, room, now)) {
    ConnId id = runtime_.connect(due.endpoint);
    conns_.try_emplace(id, id, false, due.endpoint, 0, now).first->second.source = due.source;
  }
}

void MagnetPeer::maintain() {
  if (peer_ || leaving_) return;
  TimePoint now = runtime_.now();
  std::vector<ConnId> late;
  for (const auto& [id, conn] : conns_) {
    if (conn.stage == PeerConnection::Stage::AwaitingHandshake &&
        now - conn.connected_at >= config_.peer.handshake_timeout)
      late.push_back(id);
  }
  for (ConnId id : late) close(conns_.at(id), "handshake timeout");
  fetch_.check_timeouts();
  dial_more();
}

// The metadata is verified: the torrent it makes replaces the link, and a Peer of it takes over the node.
void MagnetPeer::hand_over() {
  if (peer_ || leaving_) return;
  Bytes torrent = extension::torrent_file(config_.link, fetch_.metadata());
  PeerConfig config = config_.peer;
  if (Status opened = config_.open(torrent, config); !opened) {
    runtime_.log(LogLevel::Error, "cannot use the fetched metadata: " + opened.reason());
    return runtime_.stop();
  }
  runtime_.telemetry().event("metadata_done", {{"seconds", to_seconds(runtime_.now() - started_at_)},
                                               {"bytes", fetch_.metadata().size()},
                                               {"status", fetch_.status()}});
  config.peer_id = peer_id_;
  config.peers = dial_list_.addresses();
  if (tracker_) {
    for (ConnId id : tracker_->abandon()) retired_.insert(id);
  }
  peer_ = std::make_unique<Peer>(runtime_, std::move(config), std::move(dht_));
  for (const auto& [id, conn] : conns_) peer_->adopt(conn, held_[id].first);
  conns_.clear();
  held_.clear();
  peer_->on_start();
}

void MagnetPeer::on_leave() {
  if (peer_) return peer_->on_leave();
  if (leaving_) return;
  leaving_ = true;
  for (const auto& [id, conn] : conns_) runtime_.close(id, "leaving");
  conns_.clear();
  if (tracker_) return tracker_->stop([this] { runtime_.stop(); });
  runtime_.stop();
}

nlohmann::json MagnetPeer::status() const {
  nlohmann::json status =
      peer_ ? peer_->status() : nlohmann::json{{"state", "metadata"}, {"connections", conns_.size()}};
  status.update(fetch_.status());
  return status;
}

}  // namespace p2p::bittorrent
