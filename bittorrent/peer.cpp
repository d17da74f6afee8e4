// Peer: connections (dialling, handshakes, caps, timeouts, bans), dispatching messages to the two sides,
// completion and leaving, and the tracker's schedule.
#include "bittorrent/peer.h"

#include <algorithm>
#include <utility>

#include "bittorrent/peer_status.h"

namespace p2p::bittorrent {
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

namespace {

PeerExtensionsConfig extensions_config(const Runtime& runtime, const PeerConfig& config,
                                       const Metainfo& metainfo) {
  PeerExtensionsConfig out;
  out.ours = OurExtensions{.pex = config.pex,
                           .listen_port = runtime.local_endpoint().port,
                           .metadata_size = metainfo.info.size(),
                           .reqq = static_cast<std::uint32_t>(config.max_queued_requests)};
  return out;
}

}  // namespace

Peer::Peer(Runtime& runtime, PeerConfig config, std::unique_ptr<dht::NodeRunner> dht)
    : runtime_(runtime),
      config_(std::move(config)),
      metainfo_(*config_.metainfo),
      layout_(metainfo_.layout()),
      peer_id_(config_.peer_id.value_or(make_peer_id(runtime.random(), runtime.local_endpoint()))),
      downloader_(runtime, config_, layout_, *this, [this](PieceIndex piece) { on_piece_stored(piece); }),
      uploader_(runtime, config_, layout_, downloader_.picker().have(), *this),
      extensions_(runtime, extensions_config(runtime, config_, metainfo_), *this, metainfo_.info,
                  [this](const std::vector<Endpoint>& peers) { learn_peers(peers, PeerSource::Pex); }),
      dht_(dht ? std::move(dht) : make_peer_dht(runtime, config_, metainfo_.info_hash)),
      dial_list_(DialListConfig{.max_addresses = 4 * config_.max_peers,
                                .redial_after = config_.redial_after,
                                .self = runtime.local_endpoint(),
                                .yield_for = config_.yield_for}) {
  if (config_.super_seed && config_.have.all()) super_seeder_.emplace(layout_.piece_count());
  if (dht_)
    dht_->on_peers([this](const std::vector<Endpoint>& peers) { learn_peers(peers, PeerSource::Dht); });
  std::string url = config_.announce_url.empty() ? metainfo_.announce : config_.announce_url;
  auto announce = parse_announce_url(url);
  // No tracker: a magnet link's peers, or a trackerless torrent (BEP 5) found through the DHT.
  if (!announce && url.empty() && (!config_.peers.empty() || dht_)) return;
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
          if (!have().has(PieceIndex(i))) left += layout_.piece_size(PieceIndex(i));
        }
        return TransferTotals{uploaded(), downloaded(), left};
      },
      [this](const std::vector<TrackerPeer>& peers) {
        std::vector<Endpoint> endpoints;
        for (const TrackerPeer& peer : peers) endpoints.push_back(peer.endpoint());
        learn_peers(endpoints, PeerSource::Tracker);
      });
}

void Peer::on_start() {
  started_at_ = runtime_.now();
  // A restarted peer resumes from the pieces its storage passed verify_pieces with (checked against their
  // SHA-1 before the core was built, as a BEP 3 client re-checks its data) and never asks for them again.
  if (!have().none()) {
    runtime_.telemetry().event("resumed", {{"have", have().count()}, {"pieces", layout_.piece_count()}});
  }
  if (complete()) {
    completed_at_ = started_at_;
    verified_ = true;  // the storage was verified before the core was built
  }
  if (tracker_) tracker_->announce(AnnounceEvent::Started);
  if (dht_) dht_->start();
  learn_peers(config_.peers, PeerSource::Given);
  runtime_.every(config_.choker.rechoke_period, [this] {
    if (!leaving_) uploader_.rechoke();
  });
  runtime_.every(config_.maintenance_period, [this] { maintain(); });
  if (complete() && config_.seed_time) runtime_.after(*config_.seed_time, [this] { leave(); });
}

std::optional<Duration> Peer::completed_after() const {
  if (!completed_at_) return std::nullopt;
  return *completed_at_ - started_at_;
}

std::unique_ptr<Framer> Peer::framer_for(ConnId, bool) {
  // Tracker connections get a ChunkFramer from TrackerClient once they are up; nothing arrives before.
  return std::make_unique<WireFramer>(layout_.piece_count(), true);
}

void Peer::on_connected(ConnId conn, bool inbound, const Endpoint& remote) {
  if (tracker_ && tracker_->owns(conn)) return tracker_->on_connected(conn);
  if (leaving_) return runtime_.close(conn, "leaving");
  if (inbound && conns_.size() >= config_.max_peers) return runtime_.close(conn, "too many peers");
  auto [it, fresh] = conns_.try_emplace(conn, conn, inbound, remote, layout_.piece_count(), runtime_.now());
  // The side that dials speaks first; the side that answers waits to see which torrent is asked for.
  if (!inbound)
    send(it->second, encode_handshake(our_handshake(metainfo_.info_hash, peer_id_, dht_ != nullptr)));
}

void Peer::adopt(const PeerConnection& adopted, const std::vector<Bytes>& frames) {
  ConnId id = adopted.id;
  auto [it, fresh] =
      conns_.try_emplace(id, id, adopted.inbound, adopted.remote, layout_.piece_count(), runtime_.now());
  it->second.source = adopted.source;
  if (adopted.stage != PeerConnection::Stage::Active) return;  // its handshake comes to on_handshake
  it->second.peer_id = adopted.peer_id;
  it->second.stage = PeerConnection::Stage::Active;
  // BEP 3 allows a bitfield only right after the handshake: what we hold goes as haves. BEP 10 lets a peer
  // send its extension handshake again: ours now offers ut_pex and gives metadata_size.
  for (std::uint32_t i = 0; i < layout_.piece_count(); ++i) {
    if (have().has(PieceIndex(i))) send(it->second, encode_message(Have{PieceIndex(i)}));
  }
  extensions_.on_handshake(it->second);
  for (const Bytes& frame : frames) {
    auto conn = conns_.find(id);
    if (conn == conns_.end()) return;
    on_message(conn->second, frame);
  }
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

// Two peers that dial each other at once each end up with two connections, and each must close the same one
// of them, or each closes a different one and both are lost. Like Gnutella's Overlay::keeps_duplicate, both
// apply one rule: the connection dialled by the peer with the larger id stays. Two connections dialled by the
// same side (a peer at two addresses) keep the older.
bool Peer::keeps_newer(const PeerConnection& older, const PeerConnection& newer, const PeerId& theirs) const {
  if (older.inbound == newer.inbound) return false;
  bool they_dial_the_keeper = theirs > peer_id_;
  return newer.inbound == they_dial_the_keeper;
}

void Peer::on_handshake(PeerConnection& conn, ByteView frame) {
  auto handshake = decode_handshake(frame);
  if (!handshake) return close(conn, "malformed handshake: " + handshake.reason());
  if (handshake->info_hash != metainfo_.info_hash) return close(conn, "wrong info-hash");
  if (handshake->peer_id == peer_id_) return close(conn, "connected to self");
  if (banned_ids_.contains(handshake->peer_id)) return close(conn, "banned");
  for (auto& [id, other] : conns_) {
    if (id != conn.id && other.stage == PeerConnection::Stage::Active &&
        other.peer_id == handshake->peer_id) {
      if (!keeps_newer(other, conn, handshake->peer_id)) return close(conn, "duplicate connection");
      close(other, "duplicate connection");
      break;
    }
  }
  conn.peer_id = handshake->peer_id;
  conn.stage = PeerConnection::Stage::Active;
  if (conn.inbound)
    send(conn, encode_handshake(our_handshake(metainfo_.info_hash, peer_id_, dht_ != nullptr)));
  runtime_.log(LogLevel::Debug,
               "connected to " + conn.remote.str() + ", " +
                   (conn.source ? "learned from " + std::string(peer_source_name(*conn.source))
                                : std::string("inbound")));
  // BEP 3: the bitfield comes first if sent at all, and a peer with no pieces may leave it out. BEP 16: a
  // super-seed sends none, and offers one piece instead. BEP 10: the extension handshake follows, and BEP
  // 5's PORT.
  if (super_seeder_) {
    offer_if_due(conn.id);
  } else if (!have().none()) {
    send(conn, encode_message(Bitfield{have().bitfield()}));
  }
  if (supports_extension_protocol(*handshake)) extensions_.on_handshake(conn);
  send_dht_port(runtime_, *this, conn, *handshake, dht_.get());
}

// A super-seed offers (have) a peer its first piece, and another when it turns out to hold the one it had.
void Peer::offer_if_due(ConnId id) {
  auto it = conns_.find(id);
  if (super_seeder_ && it != conns_.end() && super_seeder_->due(id, it->second.pieces)) offer(id);
}

void Peer::offer(ConnId id) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  if (auto piece = super_seeder_->offer(id, it->second.pieces, runtime_.random()))
    send(it->second, encode_message(Have{*piece}));
}

// Each message goes to the side it concerns: what the remote peer has and lets us ask for, and the blocks
// it sends, to the Downloader; its interest, requests and cancels to the Uploader.
void Peer::on_message(PeerConnection& conn, ByteView frame) {
  auto decoded = decode_message(frame);
  if (!decoded) return close(conn, "malformed message: " + decoded.reason());
  const Message& message = *decoded;
  ConnId id = conn.id;  // what the peer has may close the connection, or make it due a super-seed's offer
  if (const auto* bitfield = std::get_if<Bitfield>(&message)) {
    downloader_.on_bitfield(conn, *bitfield);
    return offer_if_due(id);
  }
  if (const auto* have = std::get_if<Have>(&message)) {
    downloader_.on_have(conn, *have);
    if (!super_seeder_) return;
    for (ConnId passed_on : super_seeder_->announced(id, have->piece)) offer(passed_on);
    return offer_if_due(id);
  }
  if (const auto* request = std::get_if<Request>(&message)) return uploader_.on_request(conn, *request);
  if (const auto* piece = std::get_if<Piece>(&message)) return downloader_.on_piece(conn, *piece);
  if (const auto* cancel = std::get_if<Cancel>(&message)) return uploader_.on_cancel(conn, *cancel);
  if (std::holds_alternative<Choke>(message)) return downloader_.on_choke(conn);
  if (std::holds_alternative<Unchoke>(message)) return downloader_.on_unchoke(conn);
  if (std::holds_alternative<Interested>(message)) return uploader_.on_interest(conn, true);
  if (std::holds_alternative<NotInterested>(message)) return uploader_.on_interest(conn, false);
  if (const auto* extended = std::get_if<Extended>(&message)) return extensions_.on_extended(conn, *extended);
  if (const auto* port = std::get_if<Port>(&message)) return on_dht_port(conn, *port);
  // Keep-alives and unknown ids (extensions we did not offer) change nothing.
}

// BEP 5: the node at the peer's address and the port it names is pinged, and joins the table if it answers.
// Without a node of our own (or for port 0) there is nothing to do with it.
void Peer::on_dht_port(const PeerConnection& conn, const Port& port) {
  if (!dht_ || port.port == 0) return;
  ++dht_ports_;
  dht_->ping(Endpoint{conn.remote.host, port.port});
}

void Peer::on_datagram(const Endpoint& from, ByteView bytes) {
  if (dht_) dht_->on_datagram(from, bytes);
}

void Peer::on_closed(ConnId id, std::string_view reason) {
  if (tracker_ && tracker_->owns(id)) return tracker_->on_closed(id, reason);
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  runtime_.log(LogLevel::Debug, "peer " + it->second.remote.str() + " closed: " + std::string(reason));
  if (super_seeder_) super_seeder_->forget(id);
  downloader_.forget(it->second);
  extensions_.forget(id);
  conns_.erase(it);
  dial_more();
}

void Peer::close(PeerConnection& conn, const std::string& reason) {
  ConnId id = conn.id;
  runtime_.log(LogLevel::Debug, "closing " + conn.remote.str() + ": " + reason);
  if (super_seeder_) super_seeder_->forget(id);
  downloader_.forget(conn);
  extensions_.forget(id);
  conns_.erase(id);
  runtime_.close(id, reason);
  // Blocks it held are free again: ask the others for them.
  for (auto& [other_id, other] : conns_) downloader_.request_more(other);
}

void Peer::ban(PeerConnection& conn, const std::string& reason) {
  ++banned_;
  banned_ids_.insert(conn.peer_id);
  if (!conn.inbound) banned_addresses_.insert(conn.remote);
  close(conn, reason);
}

void Peer::send(PeerConnection& conn, Bytes bytes) {
  conn.last_sent = runtime_.now();
  runtime_.send(conn.id, std::move(bytes));
}

void Peer::learn_peers(const std::vector<Endpoint>& peers, PeerSource source) {
  Endpoint self = runtime_.local_endpoint();
  for (const Endpoint& peer : peers) {
    // opentracker hands back the announcing peer too.
    if (peer != self && !banned_addresses_.contains(peer)) dial_list_.learn(peer, source, runtime_.now());
  }
  dial_more();
}

void Peer::dial_more() {
  if (leaving_) return;
  std::size_t outbound = 0;
  for (const auto& [id, conn] : conns_) outbound += conn.inbound ? 0 : 1;
  std::size_t room = std::min(config_.dial_peers - std::min(outbound, config_.dial_peers),
                              config_.max_peers - std::min(conns_.size(), config_.max_peers));
  // Called every second and after every close: a full peer (the usual case), or one that dialled every
  // address it knows lately, stops here, before it builds a set of its neighbours' addresses (in a
  // 1,000-peer --sim run this call took 12 % of the time).
  TimePoint now = runtime_.now();
  if (room == 0 || !dial_list_.any_redial_due(now)) return;
  std::set<Endpoint> connected;  // by listen address: a peer that dialled us is not dialled back
  for (const auto& [id, conn] : conns_) connected.insert(extensions_.listen_of(conn));
  for (const DialList::Due& due : dial_list_.due(connected, room, now)) {
    ConnId id = runtime_.connect(due.endpoint);
    auto [it, fresh] = conns_.try_emplace(id, id, false, due.endpoint, layout_.piece_count(), now);
    it->second.source = due.source;
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
      downloader_.check_progress(conn);
      if (now - conn.last_sent >= config_.keepalive_period) send(conn, encode_message(KeepAlive{}));
    }
  }
  for (const auto& [id, reason] : doomed) {
    if (auto it = conns_.find(id); it != conns_.end()) close(it->second, reason);
  }
  extensions_.send_pex();
  dial_more();
}

// Each stored piece is an event, so that a lab can rebuild every peer's pieces over time: the swarm's
// availability, a newcomer's first piece, the last pieces (Legout et al. 2006, "Rarest first and choke
// algorithms are enough", measure these from one client's log; here every peer reports its own), and where
// its bytes came from so far, which outlives the peer's leaving (Izal et al. 2004 measure the seeds' share).
void Peer::on_piece_stored(PieceIndex piece) {
  runtime_.telemetry().event("piece_done", {{"piece", piece.value},
                                            {"have", have().count()},
                                            {"pieces", layout_.piece_count()},
                                            {"seconds", to_seconds(runtime_.now() - started_at_)},
                                            {"from_seeds", downloader_.from_seeds()},
                                            {"from_leechers", downloader_.from_leechers()}});
  if (complete()) on_complete();
}

// The last piece is stored: report how the download went, tell the tracker, part from the seeds (two seeds
// have nothing to trade) and seed for seed_time.
void Peer::on_complete() {
  completed_at_ = runtime_.now();
  if (config_.verify_on_complete) {
    verified_ = verify_pieces(*config_.storage, metainfo_).all();
  }
  nlohmann::json completed = {
      {"seconds", to_seconds(*completed_at_ - started_at_)},
      {"bytes", downloader_.downloaded()},
      {"from_seeds", downloader_.from_seeds()},
      {"from_leechers", downloader_.from_leechers()},
      {"verified", config_.verify_on_complete ? nlohmann::json(verified_) : nlohmann::json()}};
  bool intact = !config_.verify_on_complete || verified_;
  if (config_.check_content) {
    bool content_ok = config_.check_content(*config_.storage);
    completed["content_ok"] = content_ok;
    intact = intact && content_ok;
  }
  completed["ok"] = intact;  // the file passed every check made (a lab's progress line counts these)
  runtime_.telemetry().event("completed", std::move(completed));
  if (tracker_) tracker_->announce(AnnounceEvent::Completed);
  std::vector<ConnId> ids;
  for (const auto& [id, conn] : conns_) ids.push_back(id);
  for (ConnId id : ids) {
    auto it = conns_.find(id);
    if (it == conns_.end()) continue;
    if (it->second.is_seed()) {
      close(it->second, "both seeds");
    } else {
      downloader_.update_interest(it->second);
    }
  }
  if (config_.seed_time) runtime_.after(*config_.seed_time, [this] { leave(); });
}

nlohmann::json Peer::status() const {
  return peer_status(*this, runtime_.now());
}

void Peer::on_leave() {
  leave();
}

void Peer::leave() {
  if (leaving_) return;
  leaving_ = true;
  if (completed_at_ && config_.seed_time)
    runtime_.telemetry().event("seeding_over", {{"uploaded", uploaded()}});
  std::vector<ConnId> ids;
  for (const auto& [id, conn] : conns_) ids.push_back(id);
  for (ConnId id : ids) {
    if (auto it = conns_.find(id); it != conns_.end()) close(it->second, "leaving");
  }
  if (tracker_) {
    tracker_->stop([this] { runtime_.stop(); });
  } else {
    runtime_.stop();
  }
}

}  // namespace p2p::bittorrent
