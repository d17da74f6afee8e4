// Peer: the BitTorrent peer core (BEP 3): tracker announces, the peer wire, picking, choking, seeding.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "bittorrent/choker.h"
#include "bittorrent/metainfo.h"
#include "bittorrent/peer_connection.h"
#include "bittorrent/piece_assembly.h"
#include "bittorrent/piece_picker.h"
#include "bittorrent/storage.h"
#include "bittorrent/tracker_client.h"
#include "common/node/core.h"

namespace p2p::bittorrent {

struct PeerConfig {
  std::shared_ptr<const Metainfo> metainfo;  // required
  std::shared_ptr<Storage> storage;          // required; outlives restarts of the core in SimNet
  PieceSet have;             // pieces the storage already holds, verified (verify_pieces); empty means none
  std::string announce_url;  // the torrent's announce URL unless set
  PickerOptions picker;
  ChokerOptions choker;
  bool free_rider = false;            // never unchokes anyone, so never uploads
  std::optional<Duration> seed_time;  // how long to seed after completing; nullopt: until told to leave
  std::size_t dial_peers = 30;        // connections it opens itself, from the tracker's lists
  std::size_t max_peers = 55;         // connections in all; more inbound ones are refused
  // A peer's requests waiting to be served; more are dropped. Twice our own pipeline, as libtorrent allows
  // more than it asks for, so a peer as deep as we are never reaches it.
  std::size_t max_queued_requests = 512;
  std::size_t min_pipeline = 8;  // blocks kept requested from each unchoking peer...
  // ...growing with its rate up to this: 4 MiB in flight, so a loopback transfer is not kept waiting for
  // requests (256 measured 15% faster than 128 for 1 seed to 1 leecher).
  std::size_t max_pipeline = 256;
  Duration pipeline_cover = std::chrono::seconds(2);  // the rate-time the pipeline covers
  // A peer that answers none of our requests for this long has them taken back and given to the others; until
  // it sends a block again it gets one request at a time (libtorrent's request_timeout and snubbing).
  Duration request_timeout = std::chrono::seconds(30);
  std::uint32_t numwant = 50;
  std::uint32_t ban_strikes = 3;  // bad pieces before a peer is banned
  Duration maintenance_period = std::chrono::seconds(1);
  Duration handshake_timeout = std::chrono::seconds(20);
  Duration keepalive_period = std::chrono::seconds(90);  // BEP 3: keep-alives "every two minutes"
  Duration idle_timeout = std::chrono::seconds(180);
  Duration redial_after = std::chrono::seconds(30);  // before dialling an address that failed again
  bool verify_on_complete = true;  // re-read and re-hash every piece once complete (the "verified" field)
  // An independent check of the finished file, reported as "content_ok" in the completed event (bt-peer's
  // synthetic content compares it with the generator); none: the field is left out.
  std::function<bool(Storage&)> check_content;
  Duration tracker_retry = std::chrono::seconds(15);
};

// One BitTorrent peer of one torrent (BEP 3 "peer protocol"; PROTOCOLS.md). It announces to the tracker at
// start, periodically, on completion and on leaving (TrackerClient), dials peers from the answers and takes
// inbound ones up to its caps, and then speaks the peer wire exactly: the handshake, an optional bitfield,
// choke/unchoke/interested/not interested/have/request/piece/cancel and keep-alives. Its policies are their
// own units: PiecePicker (which blocks, from whom; endgame cancels), Choker (whom to upload to, every 10 s,
// with the optimistic unchoke), PieceAssembly (SHA-1 before anything is stored or announced) and Storage.
// Hostile input closes the connection with a counted reason: a wrong info-hash, a malformed message, a
// bitfield out of place, a request outside a piece or over 16 KiB; a peer whose blocks fail 3 piece hashes is
// banned. Telemetry: status() (see peer_status.cpp) and the events completed, piece_failed, peer_banned,
// seeding_over, tracker_announce and tracker_error.
class Peer : public Core {
 public:
  Peer(Runtime& runtime, PeerConfig config);

  std::string_view system() const override { return "bittorrent"; }
  std::string_view role() const override { return "peer"; }
  void on_start() override;
  std::unique_ptr<Framer> framer_for(ConnId conn, bool inbound) override;
  void on_connected(ConnId conn, bool inbound, const Endpoint& remote) override;
  void on_frame(ConnId conn, ByteView frame) override;
  void on_closed(ConnId conn, std::string_view reason) override;
  void on_leave() override;
  nlohmann::json status() const override;

  const PieceSet& have() const { return picker_.have(); }
  bool complete() const { return picker_.complete(); }
  std::optional<Duration> completed_after() const;
  std::span<const std::uint32_t> availability() const { return picker_.availability(); }
  std::uint64_t downloaded() const { return downloaded_; }
  std::uint64_t uploaded() const { return uploaded_; }
  const PeerId& peer_id() const { return peer_id_; }
  std::size_t connections() const { return conns_.size(); }

 private:
  // --- connections (peer.cpp) ---
  void learn_peers(const std::vector<TrackerPeer>& peers);
  void dial_more();
  void on_handshake(PeerConnection& conn, ByteView frame);
  void close_conn(PeerConnection& conn, const std::string& reason);
  void maintain();
  void time_out_requests(PeerConnection& conn);
  void rechoke();
  void set_choking(PeerConnection& conn, bool choke);
  void send(PeerConnection& conn, Bytes bytes);
  void leave();

  // --- messages (peer_messages.cpp) ---
  void on_message(PeerConnection& conn, ByteView frame);
  void on_bitfield(PeerConnection& conn, const Bitfield& bitfield);
  void on_have(PeerConnection& conn, const Have& have);
  void on_request(PeerConnection& conn, const Request& request);
  void on_piece(PeerConnection& conn, const Piece& piece);
  void on_peer_pieces_changed(PeerConnection& conn);
  void update_interest(PeerConnection& conn);
  void request_more(PeerConnection& conn);
  void serve(PeerConnection& conn);
  void serve_waiting();  // serves every connection with queued requests
  void finish_piece(PieceIndex piece);
  void piece_failed(PieceIndex piece);
  void on_complete();

  nlohmann::json peer_list() const;  // peer_status.cpp

  Runtime& runtime_;
  PeerConfig config_;
  const Metainfo& metainfo_;
  TorrentLayout layout_;
  PeerId peer_id_;
  PiecePicker picker_;
  Choker choker_;
  PieceAssembly assembly_;
  std::optional<TrackerClient> tracker_;

  std::map<ConnId, PeerConnection> conns_;
  std::map<Endpoint, TimePoint> candidates_;  // addresses from the tracker, and when each was last dialled
  std::set<PeerId> banned_ids_;
  std::set<Endpoint> banned_addresses_;
  TimerId serve_timer_;  // retries serving after the uplink was full
  TimerId serve_soon_;   // serves the requests that arrived in this turn
  TimePoint started_at_{};
  std::optional<TimePoint> completed_at_;
  bool leaving_ = false;
  bool verified_ = false;

  std::uint64_t downloaded_ = 0, uploaded_ = 0;
  std::uint64_t from_seeds_ = 0, from_leechers_ = 0;
  std::uint64_t failed_pieces_ = 0, banned_ = 0, wasted_ = 0, requests_dropped_ = 0, requests_timed_out_ = 0;
};

}  // namespace p2p::bittorrent
