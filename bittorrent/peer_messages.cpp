// Peer: the BEP 3 messages of an active connection: state, haves and bitfields, requests served, blocks
// taken.
#include "bittorrent/peer.h"

#include <algorithm>
#include <utility>

namespace p2p::bittorrent {
namespace {

constexpr std::size_t kPieceHeader = 13;  // length prefix, id, index, begin
// Bytes of piece messages that may wait in the uplink for one peer before serving pauses: enough to keep a
// fast link busy between two pump rounds, small enough that a choke or a have is not stuck behind seconds of
// data on a slow one.
constexpr std::size_t kMinUploadWindow = 64 * 1024;
constexpr std::size_t kMaxUploadWindow = 8 << 20;
constexpr Duration kServeRetry = std::chrono::milliseconds(10);
// Bytes of piece messages per send. A batch's buffer (this plus one more block) stays below glibc's 128 KiB
// mmap threshold: a bigger one would be mapped and unmapped for every send.
constexpr std::size_t kServeBatch = 64 * 1024;

std::size_t upload_window(const PeerConnection& conn, TimePoint now) {
  return std::clamp(static_cast<std::size_t>(conn.up.rate(now) / 2), kMinUploadWindow, kMaxUploadWindow);
}

}  // namespace

void Peer::on_message(PeerConnection& conn, ByteView frame) {
  auto decoded = decode_message(frame);
  if (!decoded) return close_conn(conn, "malformed message: " + decoded.reason());
  const Message& message = *decoded;
  if (const auto* bitfield = std::get_if<Bitfield>(&message)) return on_bitfield(conn, *bitfield);
  if (const auto* have = std::get_if<Have>(&message)) return on_have(conn, *have);
  if (const auto* request = std::get_if<Request>(&message)) return on_request(conn, *request);
  if (const auto* piece = std::get_if<Piece>(&message)) return on_piece(conn, *piece);
  if (const auto* cancel = std::get_if<Cancel>(&message)) {
    std::erase_if(conn.queue, [&](const Request& r) {
      return r.piece == cancel->piece && r.begin == cancel->begin && r.length == cancel->length;
    });
  } else if (std::holds_alternative<Choke>(message)) {
    conn.peer_choking = true;
    // BEP 3: a choke discards our pending requests; their blocks go back to the picker for other peers.
    picker_.drop_requests(conn.id);
    conn.requested.clear();
  } else if (std::holds_alternative<Unchoke>(message)) {
    conn.peer_choking = false;
    request_more(conn);
  } else if (std::holds_alternative<Interested>(message)) {
    conn.peer_interested = true;
    // A newcomer need not wait up to 10 s for the next round when an upload slot is free.
    std::size_t unchoked = std::ranges::count_if(conns_, [](const auto& c) { return !c.second.am_choking; });
    if (unchoked <= config_.choker.regular_slots) rechoke();
  } else if (std::holds_alternative<NotInterested>(message)) {
    conn.peer_interested = false;
  }
  // Keep-alives and unknown ids (extensions we did not offer) change nothing.
}

// BEP 3 sends the bitfield only first, but aria2 sends another one later in a connection; like libtorrent, a
// later bitfield replaces what the peer was thought to have.
void Peer::on_bitfield(PeerConnection& conn, const Bitfield& bitfield) {
  auto pieces = PieceSet::from_bitfield(bitfield.bits, layout_.piece_count());
  if (!pieces) return close_conn(conn, "bad bitfield: " + pieces.reason());
  picker_.remove_peer_pieces(conn.pieces);
  conn.pieces = std::move(pieces).value();
  picker_.add_peer_pieces(conn.pieces);
  on_peer_pieces_changed(conn);
}

void Peer::on_have(PeerConnection& conn, const Have& have) {
  if (have.piece.value >= layout_.piece_count()) return close_conn(conn, "bad have: no such piece");
  if (!conn.pieces.insert(have.piece)) return;
  picker_.add_peer_piece(have.piece);
  on_peer_pieces_changed(conn);
}

void Peer::on_peer_pieces_changed(PeerConnection& conn) {
  // Two seeds have nothing to say to each other (mainline closes such connections).
  if (complete() && conn.is_seed()) return close_conn(conn, "both seeds");
  update_interest(conn);
}

void Peer::update_interest(PeerConnection& conn) {
  bool interested = !complete() && conn.pieces.has_any_missing_from(picker_.have());
  if (interested != conn.am_interested) {
    conn.am_interested = interested;
    send(conn, encode_message(interested ? Message(Interested{}) : Message(NotInterested{})));
  }
  request_more(conn);
}

void Peer::request_more(PeerConnection& conn) {
  if (conn.stage != PeerConnection::Stage::Active || conn.peer_choking || !conn.am_interested) return;
  TimePoint now = runtime_.now();
  std::size_t depth = conn.stalled ? 1
                                   : conn.request_depth(now, config_.pipeline_cover, config_.min_pipeline,
                                                        config_.max_pipeline);
  // The pipeline is topped up once an eighth of it has come in, not after every block: a deep pipeline then
  // costs one batch of requests per 32 blocks instead of one 17-byte write per block, on both peers. A
  // shallow one (8 blocks on a slow link) is still refilled block by block.
  if (conn.requested.size() + std::max<std::size_t>(depth / 8, 1) > depth) return;
  std::vector<BlockRef> blocks =
      picker_.pick(conn.id, conn.pieces, depth - conn.requested.size(), runtime_.random());
  if (blocks.empty()) return;
  if (conn.requested.empty()) conn.request_progress_at = now;
  // All the requests of a round travel in one send: one write, not one per 17-byte message.
  Bytes batch;
  batch.reserve(blocks.size() * 17);
  for (const BlockRef& block : blocks) {
    Bytes message =
        encode_message(Request{block.piece, block.begin(), layout_.block_size(block.piece, block.block)});
    batch.insert(batch.end(), message.begin(), message.end());
    conn.requested.push_back(block);
  }
  send(conn, std::move(batch));
}

void Peer::on_request(PeerConnection& conn, const Request& request) {
  if (Status ok = layout_.check_block(request.piece, request.begin, request.length); !ok) {
    return close_conn(conn, "bad request: " + ok.reason());
  }
  if (!picker_.have().has(request.piece)) return close_conn(conn, "bad request: a piece we do not have");
  // Requests while choked are dropped (BEP 3); so are those beyond the queue's cap, which a polite peer
  // never reaches.
  if (conn.am_choking) return;
  if (conn.queue.size() >= config_.max_queued_requests) {
    ++conn.requests_dropped;
    ++requests_dropped_;
    return;
  }
  conn.queue.push_back(request);
  // Served once the messages that arrived with it are read: a burst of requests then leaves in a few batched
  // sends instead of one send per block.
  if (serve_soon_ == TimerId{}) {
    serve_soon_ = runtime_.after(Duration{0}, [this] {
      serve_soon_ = TimerId{};
      serve_waiting();
    });
  }
}

// Sends queued blocks while the uplink holds less than the window for this peer; what remains is retried on
// a short timer, since the runtime says nothing when bytes leave. Consecutive piece messages travel together,
// up to kServeBatch bytes per send: the transport then pays its per-write cost (a ZeroMQ message, a send()
// system call) once per batch instead of once per 16 KiB block.
void Peer::serve(PeerConnection& conn) {
  TimePoint now = runtime_.now();
  std::size_t window = upload_window(conn, now);
  Bytes batch;
  auto flush = [&] {
    if (!batch.empty()) send(conn, std::exchange(batch, {}));
  };
  while (!conn.queue.empty() && runtime_.queued_bytes(conn.id) + batch.size() < window) {
    Request request = conn.queue.front();
    conn.queue.pop_front();
    if (batch.empty()) batch.reserve(kServeBatch + kPieceHeader + kBlockSize);
    // The block is read straight into the message that carries it: one copy from storage to the wire.
    std::size_t at = batch.size();
    batch.resize(at + kPieceHeader + request.length);
    ByteWriter header(kPieceHeader);
    header.u32be(static_cast<std::uint32_t>(9 + request.length))
        .u8(static_cast<std::uint8_t>(MessageId::Piece));
    header.u32be(request.piece.value).u32be(request.begin);
    std::ranges::copy(header.view(), batch.begin() + static_cast<std::ptrdiff_t>(at));
    if (Status ok =
            config_.storage->read(request.piece, request.begin, std::span(batch).subspan(at + kPieceHeader));
        !ok) {
      runtime_.log(LogLevel::Error, ok.reason());
      return close_conn(conn, "storage read failed");
    }
    conn.up.add(request.length, now);
    uploaded_ += request.length;
    if (batch.size() >= kServeBatch) flush();
  }
  flush();
  if (!conn.queue.empty() && serve_timer_ == TimerId{}) {
    serve_timer_ = runtime_.after(kServeRetry, [this] {
      serve_timer_ = TimerId{};
      serve_waiting();
    });
  }
}

void Peer::serve_waiting() {
  std::vector<ConnId> waiting;
  for (const auto& [id, conn] : conns_) {
    if (!conn.queue.empty()) waiting.push_back(id);
  }
  for (ConnId id : waiting) {
    if (auto it = conns_.find(id); it != conns_.end()) serve(it->second);
  }
}

void Peer::on_piece(PeerConnection& conn, const Piece& piece) {
  auto length = static_cast<std::uint32_t>(piece.block.size());
  if (Status ok = layout_.check_block(piece.piece, piece.begin, length); !ok) {
    return close_conn(conn, "bad piece: " + ok.reason());
  }
  TimePoint now = runtime_.now();
  conn.down.add(length, now);
  conn.last_piece_at = now;
  conn.request_progress_at = now;
  conn.stalled = false;
  downloaded_ += length;
  (conn.is_seed() ? from_seeds_ : from_leechers_) += length;
  BlockRef ref{piece.piece, piece.begin / kBlockSize};
  // Only whole, aligned 16 KiB blocks are ever asked for; anything else was not ours to receive.
  if (piece.begin % kBlockSize != 0 || length != layout_.block_size(piece.piece, ref.block)) {
    wasted_ += length;
    return;
  }
  std::erase(conn.requested, ref);
  BlockArrival arrival = picker_.on_block(conn.id, ref);
  for (ConnId other : arrival.cancel) {
    auto it = conns_.find(other);
    if (it == conns_.end()) continue;
    std::erase(it->second.requested, ref);
    send(it->second, encode_message(Cancel{ref.piece, ref.begin(), length}));
  }
  if (arrival.verdict != BlockArrival::Verdict::Accepted) {
    wasted_ += length;
    return request_more(conn);
  }
  assembly_.add(piece.piece, piece.begin, piece.block);
  ConnId id = conn.id;
  if (arrival.piece_complete) finish_piece(piece.piece);  // may close connections, this one included
  if (auto it = conns_.find(id); it != conns_.end()) request_more(it->second);
}

void Peer::finish_piece(PieceIndex piece) {
  if (!assembly_.verify(piece)) return piece_failed(piece);
  if (Status ok = config_.storage->write_piece(piece, assembly_.data(piece)); !ok) {
    // Not stored means not had: fetch it again rather than announce what cannot be served.
    runtime_.log(LogLevel::Error, ok.reason());
    picker_.piece_failed(piece);
    assembly_.drop(piece);
    return;
  }
  assembly_.drop(piece);
  picker_.mark_have(piece);
  Bytes have = encode_message(Have{piece});
  std::vector<ConnId> active;
  for (auto& [id, conn] : conns_) {
    if (conn.stage != PeerConnection::Stage::Active) continue;
    // Peers that have the piece gain nothing from hearing of it.
    if (!conn.pieces.has(piece)) send(conn, have);
    active.push_back(id);
  }
  if (complete()) return on_complete();
  for (ConnId id : active) {
    if (auto it = conns_.find(id); it != conns_.end()) update_interest(it->second);
  }
}

void Peer::piece_failed(PieceIndex piece) {
  ++failed_pieces_;
  assembly_.drop(piece);
  std::vector<ConnId> senders = picker_.piece_failed(piece);
  nlohmann::json peers = nlohmann::json::array();
  for (ConnId id : senders) {
    auto it = conns_.find(id);
    if (it == conns_.end()) continue;
    peers.push_back(it->second.remote.str());
    ++it->second.strikes;
  }
  runtime_.telemetry().event("piece_failed", {{"piece", piece.value}, {"peers", peers}});
  for (ConnId id : senders) {
    auto it = conns_.find(id);
    if (it == conns_.end() || it->second.strikes < config_.ban_strikes) continue;
    PeerConnection& conn = it->second;
    ++banned_;
    banned_ids_.insert(conn.peer_id);
    if (!conn.inbound) banned_addresses_.insert(conn.remote);
    runtime_.telemetry().event("peer_banned", {{"addr", conn.remote.str()}, {"strikes", conn.strikes}});
    close_conn(conn, "banned: " + std::to_string(conn.strikes) + " pieces failed their hash");
  }
}

void Peer::on_complete() {
  completed_at_ = runtime_.now();
  if (config_.verify_on_complete) {
    verified_ = verify_pieces(*config_.storage, metainfo_).all();
  }
  nlohmann::json completed = {
      {"seconds", to_seconds(*completed_at_ - started_at_)},
      {"bytes", downloaded_},
      {"from_seeds", from_seeds_},
      {"from_leechers", from_leechers_},
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
      close_conn(it->second, "both seeds");
    } else {
      update_interest(it->second);
    }
  }
  if (config_.seed_time) runtime_.after(*config_.seed_time, [this] { leave(); });
}

}  // namespace p2p::bittorrent
