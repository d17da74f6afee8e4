// Downloader: interest, the request pipeline, blocks received, and each whole piece checked, stored and
// announced.
#include "bittorrent/downloader.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace p2p::bittorrent {

Downloader::Downloader(Runtime& runtime, const PeerConfig& config, const TorrentLayout& layout,
                       ConnectionTable& table, std::function<void(PieceIndex)> stored)
    : runtime_(runtime),
      config_(config),
      layout_(layout),
      table_(table),
      stored_(std::move(stored)),
      picker_(layout, config.picker),
      assembly_(*config.metainfo) {
  if (config.have.size() == layout.piece_count()) {
    for (std::uint32_t i = 0; i < layout.piece_count(); ++i) {
      if (config.have.has(PieceIndex(i))) picker_.mark_have(PieceIndex(i));
    }
  }
}

// BEP 3 sends the bitfield only first, but aria2 sends another one later in a connection; like libtorrent, a
// later bitfield replaces what the peer was thought to have.
void Downloader::on_bitfield(PeerConnection& conn, const Bitfield& bitfield) {
  auto pieces = PieceSet::from_bitfield(bitfield.bits, layout_.piece_count());
  if (!pieces) return table_.close(conn, "bad bitfield: " + pieces.reason());
  picker_.remove_peer_pieces(conn.pieces);
  conn.pieces = std::move(pieces).value();
  picker_.add_peer_pieces(conn.pieces);
  on_peer_pieces_changed(conn);
}

void Downloader::on_have(PeerConnection& conn, const Have& have) {
  if (have.piece.value >= layout_.piece_count()) return table_.close(conn, "bad have: no such piece");
  if (!conn.pieces.insert(have.piece)) return;
  picker_.add_peer_piece(have.piece);
  on_peer_pieces_changed(conn);
}

void Downloader::on_peer_pieces_changed(PeerConnection& conn) {
  // Two seeds have nothing to say to each other (mainline closes such connections).
  if (complete() && conn.is_seed()) return table_.close(conn, "both seeds");
  update_interest(conn);
}

void Downloader::on_choke(PeerConnection& conn) {
  conn.peer_choking = true;
  // BEP 3: a choke discards our pending requests; their blocks go back to the picker for other peers.
  picker_.drop_requests(conn.id);
  conn.requested.clear();
}

void Downloader::on_unchoke(PeerConnection& conn) {
  conn.peer_choking = false;
  request_more(conn);
}

void Downloader::update_interest(PeerConnection& conn) {
  bool interested = !complete() && conn.pieces.has_any_missing_from(picker_.have());
  if (interested != conn.am_interested) {
    conn.am_interested = interested;
    table_.send(conn, encode_message(interested ? Message(Interested{}) : Message(NotInterested{})));
  }
  request_more(conn);
}

void Downloader::request_more(PeerConnection& conn) {
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
  table_.send(conn, std::move(batch));
}

void Downloader::on_piece(PeerConnection& conn, const Piece& piece) {
  auto length = static_cast<std::uint32_t>(piece.block.size());
  if (Status ok = layout_.check_block(piece.piece, piece.begin, length); !ok) {
    return table_.close(conn, "bad piece: " + ok.reason());
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
    auto it = table_.all().find(other);
    if (it == table_.all().end()) continue;
    std::erase(it->second.requested, ref);
    table_.send(it->second, encode_message(Cancel{ref.piece, ref.begin(), length}));
  }
  if (arrival.verdict != BlockArrival::Verdict::Accepted) {
    wasted_ += length;
    return request_more(conn);
  }
  assembly_.add(piece.piece, piece.begin, piece.block);
  ConnId id = conn.id;
  if (arrival.piece_complete) finish_piece(piece.piece);  // may close connections, this one included
  if (auto it = table_.all().find(id); it != table_.all().end()) request_more(it->second);
}

void Downloader::finish_piece(PieceIndex piece) {
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
  for (auto& [id, conn] : table_.all()) {
    if (conn.stage != PeerConnection::Stage::Active) continue;
    // Peers that have the piece gain nothing from hearing of it.
    if (!conn.pieces.has(piece)) table_.send(conn, have);
    active.push_back(id);
  }
  stored_(piece);
  if (complete()) return;
  for (ConnId id : active) {
    if (auto it = table_.all().find(id); it != table_.all().end()) update_interest(it->second);
  }
}

void Downloader::piece_failed(PieceIndex piece) {
  ++failed_pieces_;
  assembly_.drop(piece);
  std::vector<ConnId> senders = picker_.piece_failed(piece);
  nlohmann::json peers = nlohmann::json::array();
  for (ConnId id : senders) {
    auto it = table_.all().find(id);
    if (it == table_.all().end()) continue;
    peers.push_back(it->second.remote.str());
    ++it->second.strikes;
  }
  runtime_.telemetry().event("piece_failed", {{"piece", piece.value}, {"peers", peers}});
  for (ConnId id : senders) {
    auto it = table_.all().find(id);
    if (it == table_.all().end() || it->second.strikes < config_.ban_strikes) continue;
    PeerConnection& conn = it->second;
    runtime_.telemetry().event("peer_banned", {{"addr", conn.remote.str()}, {"strikes", conn.strikes}});
    table_.ban(conn, "banned: " + std::to_string(conn.strikes) + " pieces failed their hash");
  }
}

void Downloader::check_progress(PeerConnection& conn) {
  if (!conn.requested.empty() && runtime_.now() - conn.request_progress_at >= config_.request_timeout) {
    time_out_requests(conn);
  }
}

// Its unanswered requests are cancelled (so a late answer does not waste its upload) and handed back to the
// picker, for the other peers to fetch.
void Downloader::time_out_requests(PeerConnection& conn) {
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
  table_.send(conn, std::move(cancels));
  for (auto& [id, other] : table_.all()) {
    if (id != conn.id) request_more(other);
  }
}

void Downloader::forget(const PeerConnection& conn) {
  picker_.drop_requests(conn.id);
  picker_.remove_peer_pieces(conn.pieces);
}

}  // namespace p2p::bittorrent
