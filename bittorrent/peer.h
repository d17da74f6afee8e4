// Peer: the BitTorrent peer core (BEP 3): tracker announces, connections, the peer wire, and its two sides.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "bittorrent/connection_table.h"
#include "bittorrent/dial_list.h"
#include "bittorrent/downloader.h"
#include "bittorrent/metainfo.h"
#include "bittorrent/peer_config.h"
#include "bittorrent/peer_connection.h"
#include "bittorrent/peer_dht.h"
#include "bittorrent/peer_extensions.h"
#include "bittorrent/super_seeder.h"
#include "bittorrent/tracker_client.h"
#include "bittorrent/uploader.h"
#include "common/node/core.h"

namespace p2p::bittorrent {

// One BitTorrent peer of one torrent (BEP 3 "peer protocol"; PROTOCOLS.md). It announces to the tracker at
// start, periodically, on completion and on leaving (TrackerClient), dials peers from the answers and takes
// inbound ones up to its caps, and then speaks the peer wire exactly: the handshake, an optional bitfield,
// choke/unchoke/interested/not interested/have/request/piece/cancel and keep-alives. This class keeps the
// connections (handshakes, caps, timeouts, bans) and hands each message to one of its two sides: the
// Downloader (interest, requests, blocks into pieces checked by SHA-1; uses the PiecePicker and the
// PieceAssembly) and the Uploader (whom to unchoke, every 10 s, with the optimistic unchoke: the Choker; and
// serving requests from the Storage). Hostile input closes the connection with a counted reason: a wrong
// info-hash, a malformed message, a bitfield out of place, a request outside a piece or over 16 KiB; a peer
// whose blocks fail 3 piece hashes is banned. Both handshakes set BEP 10's bit, and PeerExtensions speaks
// the extension protocol: peer exchange (BEP 11, the --pex switch), whose peers join the tracker's as
// dial candidates, and the metadata served to magnet peers (BEP 9). With --dht (BEP 5) it runs a DHT node on
// the UDP port of its listening port's number (make_peer_dht): it joins, announces the torrent at start and
// every 15 minutes, and dials the peers each announce's lookup found; both handshakes set BEP 5's bit too, it
// tells such peers its DHT port (PORT), and pings the node a peer's PORT names, which joins the routing
// table if it answers. Telemetry: status() (see peer_status.h)
// and the events piece_done, completed, piece_failed, peer_banned, seeding_over, tracker_announce and
// tracker_error. Azureus-style peer id (BEP 20): "-PL0001-" names the client and version, then 12 characters
// drawn from `rng` mixed with the node's address, so two processes started with the same --seed still differ.
PeerId make_peer_id(Rng& rng, const Endpoint& self);

class Peer : public Core, private ConnectionTable {
 public:
  // `dht`: the node a MagnetPeer ran while it fetched the metadata, which carries on; none: one of our own
  // when config.dht is on.
  Peer(Runtime& runtime, PeerConfig config, std::unique_ptr<dht::NodeRunner> dht = nullptr);

  std::string_view system() const override { return "bittorrent"; }
  std::string_view role() const override { return "peer"; }
  void on_start() override;
  std::unique_ptr<Framer> framer_for(ConnId conn, bool inbound) override;
  void on_connected(ConnId conn, bool inbound, const Endpoint& remote) override;
  void on_frame(ConnId conn, ByteView frame) override;
  void on_closed(ConnId conn, std::string_view reason) override;
  void on_leave() override;
  bool uses_datagrams() const override { return dht_ != nullptr; }
  void on_datagram(const Endpoint& from, ByteView bytes) override;
  nlohmann::json status() const override;

  // Takes over a connection a MagnetPeer opened before the torrent was known (called before on_start, so
  // that it does not dial the same peers again): `conn` as it stands, and the frames its remote sent after
  // the handshake (bitfield, haves, its extension handshake, ...), which are read now as if they had just
  // arrived. Real clients keep their connections when the metadata comes; closing and redialling would meet
  // "duplicate connection".
  void adopt(const PeerConnection& conn, const std::vector<Bytes>& frames);

  const PeerId& peer_id() const { return peer_id_; }
  const PeerConfig& config() const { return config_; }
  const TorrentLayout& layout() const { return layout_; }
  const PieceSet& have() const { return downloader_.picker().have(); }
  bool complete() const { return downloader_.complete(); }
  std::optional<Duration> completed_after() const;
  bool verified() const { return verified_; }  // the storage passed the check made at completion
  bool leaving() const { return leaving_; }
  bool free_rider() const { return config_.free_rider; }
  std::span<const std::uint32_t> availability() const { return downloader_.picker().availability(); }
  std::uint64_t downloaded() const { return downloader_.downloaded(); }
  std::uint64_t uploaded() const { return uploader_.uploaded(); }
  std::uint64_t banned() const { return banned_; }  // peers banned for failed pieces
  const Downloader& downloader() const { return downloader_; }
  const Uploader& uploader() const { return uploader_; }
  const ConnectionMap& connections() const { return conns_; }
  const TrackerClient* tracker() const { return tracker_ ? &*tracker_ : nullptr; }
  const PeerExtensions& extensions() const { return extensions_; }
  // Addresses first learned from a neighbour's ut_pex message (a tracker never gave them).
  std::size_t peers_via_pex() const { return dial_list_.learned_from(PeerSource::Pex); }
  // Addresses first learned from a get_peers lookup in the DHT.
  std::size_t peers_via_dht() const { return dial_list_.learned_from(PeerSource::Dht); }
  // The DHT node, when --dht is on.
  const dht::NodeRunner* dht() const { return dht_.get(); }
  std::uint64_t dht_ports() const { return dht_ports_; }  // PORT messages whose node we pinged

 private:
  // --- ConnectionTable: what the two sides ask of the peer ---
  ConnectionMap& all() override { return conns_; }
  void send(PeerConnection& conn, Bytes bytes) override;
  void close(PeerConnection& conn, const std::string& reason) override;
  void ban(PeerConnection& conn, const std::string& reason) override;

  void learn_peers(const std::vector<Endpoint>& peers, PeerSource source);
  void dial_more();
  void on_handshake(PeerConnection& conn, ByteView frame);
  // Of two connections to the peer whose id is `theirs`, whether the newer one stays (see peer.cpp).
  bool keeps_newer(const PeerConnection& older, const PeerConnection& newer, const PeerId& theirs) const;
  void offer_if_due(ConnId id);
  void offer(ConnId id);
  void on_message(PeerConnection& conn, ByteView frame);
  void on_dht_port(const PeerConnection& conn, const Port& port);
  void maintain();
  void on_piece_stored(PieceIndex piece);
  void on_complete();
  void leave();

  Runtime& runtime_;
  PeerConfig config_;
  const Metainfo& metainfo_;
  TorrentLayout layout_;
  PeerId peer_id_;
  // The two sides hold references to config_, layout_ and the table: declared after them.
  Downloader downloader_;
  Uploader uploader_;
  PeerExtensions extensions_;
  std::optional<TrackerClient> tracker_;
  std::optional<SuperSeeder> super_seeder_;  // while it super-seeds
  std::unique_ptr<dht::NodeRunner> dht_;

  ConnectionMap conns_;
  DialList dial_list_;
  std::set<PeerId> banned_ids_;
  std::set<Endpoint> banned_addresses_;
  TimePoint started_at_{};
  std::optional<TimePoint> completed_at_;
  bool leaving_ = false;
  bool verified_ = false;
  std::uint64_t banned_ = 0;
  std::uint64_t dht_ports_ = 0;
};

}  // namespace p2p::bittorrent
