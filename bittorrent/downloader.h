// Downloader: the download side of a BitTorrent peer: interest, requests in flight, blocks into pieces.
#pragma once

#include <cstdint>
#include <functional>

#include "bittorrent/connection_table.h"
#include "bittorrent/peer_config.h"
#include "bittorrent/piece_assembly.h"
#include "bittorrent/piece_picker.h"
#include "bittorrent/torrent_layout.h"
#include "bittorrent/wire.h"
#include "common/node/core.h"

namespace p2p::bittorrent {

// Fetches the pieces a peer lacks (BEP 3: interested, request, piece, have, and what a choke does to pending
// requests). It learns what each remote peer has from its bitfield and haves, says interested to those with
// something we lack, and keeps a pipeline of block requests (sized to the peer's rate) to each that
// unchokes us; the PiecePicker says which blocks. Blocks gather in the PieceAssembly; a whole piece is
// checked against its SHA-1, then stored and announced with have to every peer that lacks it. A piece that
// fails is fetched again and counts a strike against each sender, and a peer with ban_strikes strikes is
// banned. Requests unanswered for request_timeout are cancelled and asked of the others. `stored` is called
// with each piece once it is stored and announced; the last one completes the download (complete()).
class Downloader {
 public:
  // `config.have` seeds the pieces we start with; `table` outlives this.
  Downloader(Runtime& runtime, const PeerConfig& config, const TorrentLayout& layout, ConnectionTable& table,
             std::function<void(PieceIndex)> stored);

  const PiecePicker& picker() const { return picker_; }
  bool complete() const { return picker_.complete(); }

  // --- what the remote peer has, and whether it lets us ask ---
  void on_bitfield(PeerConnection& conn, const Bitfield& bitfield);
  void on_have(PeerConnection& conn, const Have& have);
  void on_choke(PeerConnection& conn);
  void on_unchoke(PeerConnection& conn);
  // --- what we ask of it, and what it sends ---
  void update_interest(PeerConnection& conn);  // also tops up its requests
  void request_more(PeerConnection& conn);
  void on_piece(PeerConnection& conn, const Piece& piece);
  // Takes back its requests if it answered none for request_timeout (called every maintenance period).
  void check_progress(PeerConnection& conn);
  // The connection is closing: its requests and its pieces leave the picker.
  void forget(const PeerConnection& conn);

  // Payload bytes received, and how many of them came from seeds and from leechers.
  std::uint64_t downloaded() const { return downloaded_; }
  std::uint64_t from_seeds() const { return from_seeds_; }
  std::uint64_t from_leechers() const { return from_leechers_; }
  std::uint64_t failed_pieces() const { return failed_pieces_; }
  std::uint64_t wasted() const { return wasted_; }  // bytes received that were not asked for, or duplicates
  std::uint64_t requests_timed_out() const { return requests_timed_out_; }

 private:
  void on_peer_pieces_changed(PeerConnection& conn);
  void time_out_requests(PeerConnection& conn);
  void finish_piece(PieceIndex piece);
  void piece_failed(PieceIndex piece);

  Runtime& runtime_;
  const PeerConfig& config_;
  const TorrentLayout& layout_;
  ConnectionTable& table_;
  std::function<void(PieceIndex)> stored_;
  PiecePicker picker_;
  PieceAssembly assembly_;
  std::uint64_t downloaded_ = 0, from_seeds_ = 0, from_leechers_ = 0;
  std::uint64_t failed_pieces_ = 0, wasted_ = 0, requests_timed_out_ = 0;
};

}  // namespace p2p::bittorrent
