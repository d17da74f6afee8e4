// PeerExtensions: a Peer's extension protocol (BEP 10): the extension handshake on each connection, peer
// exchange (BEP 11 ut_pex) both ways, and serving the torrent's metadata (BEP 9 ut_metadata).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "bittorrent/connection_table.h"
#include "bittorrent/extension/extension_handshake.h"
#include "bittorrent/extension/pex_sender.h"
#include "bittorrent/extension_wire.h"
#include "common/node/core.h"

namespace p2p::bittorrent {

struct PeerExtensionsConfig {
  OurExtensions ours;  // what our extension handshake says (ours.pex: the --pex switch)
  extension::PexSenderConfig pex_sender;
  // BEP 11 senders send at most one ut_pex message a minute; one arriving sooner than this after the last
  // from the same connection is dropped (counted), so a peer flooding ut_pex cannot make us dial thousands.
  Duration pex_accept_interval = extension::kPexInterval / 2;
  std::size_t pex_accept_peers = extension::kMaxPexPeers;  // added peers taken from one message
};

// The extension side of a peer, beside its Downloader and Uploader. Once both handshakes set BEP 10's bit,
// on_handshake sends ours; the remote's arrives as extended message 0 and gives the ids to send it ut_pex
// and ut_metadata under. Extended messages under an id we did not offer (or ut_pex when it is off) are
// ignored and counted; a malformed handshake, ut_pex or ut_metadata message closes the connection with a
// counted reason. Every connection that speaks ut_pex is told whom we are connected to (a PexSender each:
// at most one message a minute, at most 50 peers), and the peers it tells us of go to `learn`. Requests for
// metadata are answered with 16 KiB pieces of the info dictionary.
class PeerExtensions {
 public:
  using Learn = std::function<void(const std::vector<Endpoint>&)>;

  // `metadata` is the torrent's info dictionary; it and `table` outlive this.
  PeerExtensions(Runtime& runtime, PeerExtensionsConfig config, ConnectionTable& table, ByteView metadata,
                 Learn learn);

  // Both handshakes announced BEP 10: sends our extension handshake.
  void on_handshake(PeerConnection& conn);
  void on_extended(PeerConnection& conn, const Extended& message);
  // Sends each connection the ut_pex message it is due, if any (called every maintenance period).
  void send_pex();
  void forget(ConnId conn) { remotes_.erase(conn); }

  // The remote's extension handshake, once it came.
  const extension::ExtensionHandshake* remote(ConnId conn) const;
  // Where the remote accepts connections: the address we dialled, or for an inbound connection its address
  // with the port its extension handshake gave (port 0 until then, or if it gave none).
  Endpoint listen_of(const PeerConnection& conn) const;
  nlohmann::json status() const;

 private:
  struct Remote {
    extension::ExtensionHandshake handshake;
    std::optional<extension::PexSender> pex;  // when both sides speak ut_pex
    std::optional<TimePoint> last_pex_received;
  };

  void on_remote_handshake(PeerConnection& conn, ByteView payload);
  void on_pex(PeerConnection& conn, Remote& remote, ByteView payload);
  void on_metadata(PeerConnection& conn, const Remote& remote, ByteView payload);
  std::vector<extension::PexPeer> connected_peers() const;

  Runtime& runtime_;
  PeerExtensionsConfig config_;
  ConnectionTable& table_;
  ByteView metadata_;
  Learn learn_;
  std::map<ConnId, Remote> remotes_;
  std::uint64_t unknown_ = 0;  // extended messages under ids we did not offer
  std::uint64_t pex_sent_ = 0, pex_received_ = 0, pex_dropped_ = 0;
  std::uint64_t metadata_served_ = 0, metadata_rejected_ = 0;
};

}  // namespace p2p::bittorrent
