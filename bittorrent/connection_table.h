// ConnectionTable: a peer's connections, as the parts that share them (Uploader, Downloader) reach them.
#pragma once

#include <string>

#include "bittorrent/peer_connection.h"
#include "common/util/bytes.h"
#include "common/util/id_map.h"

namespace p2p::bittorrent {

// A peer's connections, in the order they were made.
using ConnectionMap = IdMap<ConnId, PeerConnection>;

// What the parts of a peer ask of the Peer that composes them. The Peer keeps the table and does the
// bookkeeping of a closed connection (its requests freed, its pieces forgotten, the others asked for more),
// so neither part knows the other, and a unit test gives a part a small table of its own.
class ConnectionTable {
 public:
  virtual ~ConnectionTable() = default;

  // Every connection by id, those still awaiting their handshake included. A close or a ban removes one at
  // once, so a caller that may cause either walks a copy of the ids.
  virtual ConnectionMap& all() = 0;
  // Sends on `conn`; the send counts as traffic, so no keep-alive is due.
  virtual void send(PeerConnection& conn, Bytes bytes) = 0;
  virtual void close(PeerConnection& conn, const std::string& reason) = 0;
  // Closes `conn` and refuses its peer id from now on (and its address, if we dialled it).
  virtual void ban(PeerConnection& conn, const std::string& reason) = 0;
};

}  // namespace p2p::bittorrent
