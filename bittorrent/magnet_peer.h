// MagnetPeer: a BitTorrent peer started from a magnet link (BEP 9): it fetches the torrent's metadata from
// the swarm, then hands over to a Peer of that torrent.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "bittorrent/connection_table.h"
#include "bittorrent/dial_list.h"
#include "bittorrent/extension/magnet.h"
#include "bittorrent/metadata_fetch.h"
#include "bittorrent/peer.h"
#include "bittorrent/tracker_client.h"
#include "common/node/core.h"

namespace p2p::bittorrent {

struct MagnetPeerConfig {
  extension::MagnetLink link;
  // The policies and caps of the Peer it becomes; `open` adds the torrent, the storage and the pieces held.
  PeerConfig peer;
  // Given the .torrent made of the link and the verified metadata (extension::torrent_file), fills in a copy
  // of `peer` with the torrent, the storage and the pieces held: bt-peer parses it, saves it if asked and
  // opens the files under --data.
  std::function<Status(ByteView torrent, PeerConfig& config)> open;
  MetadataFetchConfig fetch;  // its info_hash is set from the link
};

// Until the metadata is in, it announces the link's info-hash to the first tracker of the link (tr=), dials
// the peers it gets and the link's x.pe peers, and takes inbound ones; on each connection it speaks the
// handshake with BEP 10's bit and fetches metadata pieces with ut_metadata (MetadataFetch). A peer without
// the bit, a wrong info-hash or a malformed message is closed with a counted reason. With the metadata
// verified, it reports metadata_done, abandons its tracker's connections, and builds a Peer of the torrent
// under the same peer id, which adopts its connections (with the frames their remotes sent meanwhile: a
// bitfield, haves, their extension handshake) and dials the addresses learned so far; every event from
// then on goes to that Peer. If `open` fails, the node logs why and stops. With --dht it also runs its DHT
// node from the start (make_peer_dht: a link without tr= finds its peers there), and hands the node over to
// the Peer with the connections.
class MagnetPeer : public Core, private ConnectionTable {
 public:
  MagnetPeer(Runtime& runtime, MagnetPeerConfig config);

  std::string_view system() const override { return "bittorrent"; }
  std::string_view role() const override { return "peer"; }
  void on_start() override;
  std::unique_ptr<Framer> framer_for(ConnId conn, bool inbound) override;
  void on_connected(ConnId conn, bool inbound, const Endpoint& remote) override;
  void on_frame(ConnId conn, ByteView frame) override;
  void on_closed(ConnId conn, std::string_view reason) override;
  void on_leave() override;
  bool uses_datagrams() const override { return config_.peer.dht; }
  void on_datagram(const Endpoint& from, ByteView bytes) override;
  nlohmann::json status() const override;

  // The Peer, once the metadata is in.
  const Peer* peer() const { return peer_.get(); }
  const MetadataFetch& fetch() const { return fetch_; }

 private:
  ConnectionMap& all() override { return conns_; }
  void send(PeerConnection& conn, Bytes bytes) override;
  void close(PeerConnection& conn, const std::string& reason) override;
  void ban(PeerConnection& conn, const std::string& reason) override { close(conn, reason); }

  void on_handshake(PeerConnection& conn, ByteView frame);
  void on_message(PeerConnection& conn, ByteView frame);
  void learn(const std::vector<Endpoint>& peers, PeerSource source);
  void dial_more();
  void maintain();
  void hand_over();

  Runtime& runtime_;
  MagnetPeerConfig config_;
  PeerId peer_id_;
  MetadataFetch fetch_;
  DialList dial_list_;
  std::optional<TrackerClient> tracker_;
  std::unique_ptr<dht::NodeRunner> dht_;  // until the hand-over
  ConnectionMap conns_;
  // Per connection, the frames the Peer will need (all but ut_metadata), and their bytes.
  std::map<ConnId, std::pair<std::vector<Bytes>, std::size_t>> held_;
  std::set<ConnId> retired_;  // closed at the hand-over; their last events are swallowed
  std::unique_ptr<Peer> peer_;
  TimePoint started_at_{};
  bool leaving_ = false;
};

}  // namespace p2p::bittorrent
