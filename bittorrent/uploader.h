// Uploader: the upload side of a BitTorrent peer: whom it unchokes, the requests they queue, the blocks sent.
#pragma once

#include <cstdint>
#include <set>

#include "bittorrent/choker.h"
#include "bittorrent/connection_table.h"
#include "bittorrent/peer_config.h"
#include "bittorrent/rate_meter.h"
#include "bittorrent/torrent_layout.h"
#include "bittorrent/wire.h"
#include "common/node/core.h"

namespace p2p::bittorrent {

// Serves a peer's pieces to the peers it chooses (BEP 3 "choking", and the request, piece and cancel
// messages). Each rechoke period the Choker decides whom to unchoke; a free rider chokes everyone. A choked
// peer's queued requests are discarded and its new ones dropped, as BEP 3 says. A request must lie inside a
// piece we have and ask for at most 16 KiB, or the connection closes; requests beyond max_queued_requests are
// dropped and counted. Queued requests are served from the Storage in batched sends while the uplink holds
// less than a window for that peer (half a second of its rate); when it holds more, serving resumes once the
// uplink has drained to half the window at the rate that peer has been served. Only the connections with
// queued requests are walked, so a peer with many connections and a slow uplink does little per retry.
class Uploader {
 public:
  // `have` is the peer's own pieces, growing as its downloads complete; both it and `table` outlive this.
  Uploader(Runtime& runtime, const PeerConfig& config, const TorrentLayout& layout, const PieceSet& have,
           ConnectionTable& table);

  // A choking round: the Choker's choice is unchoked, every other active connection choked.
  void rechoke();
  // The remote peer said interested or not interested in our pieces.
  void on_interest(PeerConnection& conn, bool interested);
  void on_request(PeerConnection& conn, const Request& request);
  void on_cancel(PeerConnection& conn, const Cancel& cancel);

  std::uint64_t uploaded() const { return sent_.total(); }                  // payload bytes sent, all peers
  std::uint64_t requests_dropped() const { return requests_dropped_; }      // over the queue's cap
  std::uint64_t requests_duplicate() const { return requests_duplicate_; }  // for a block already queued

 private:
  void set_choking(PeerConnection& conn, bool choke);
  void serve(PeerConnection& conn);
  void serve_waiting();  // serves every connection with queued requests
  void retry_after(Duration delay);
  std::size_t upload_window(TimePoint now) const;

  Runtime& runtime_;
  const PeerConfig& config_;
  const TorrentLayout& layout_;
  const PieceSet& have_;
  ConnectionTable& table_;
  Choker choker_;
  std::set<ConnId> waiting_;  // connections that queued requests since they were last served dry
  TimerId serve_timer_;       // retries serving after the uplink was full
  TimePoint serve_due_{};     // when serve_timer_ fires
  TimerId serve_soon_;        // serves the requests that arrived in this turn
  RateMeter sent_;            // payload bytes sent to all peers
  std::uint64_t requests_dropped_ = 0;
  std::uint64_t requests_duplicate_ = 0;
};

}  // namespace p2p::bittorrent
