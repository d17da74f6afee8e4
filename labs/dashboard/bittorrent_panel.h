// BitTorrentPanel: the dashboard's view of a BitTorrent peer or tracker (bittorrent/peer.h, tracker.h).
#pragma once

#include <cstdint>
#include <vector>

#include "labs/dashboard/system_panel.h"

namespace p2p::dashboard {

// Shows what the flash-crowd lab is about (labs/05-bittorrent): pieces spreading through the swarm. A peer
// shows its piece map, its rates, whom it unchokes and who unchokes it, and each connection's progress; a
// tracker shows every peer's progress bar. Both show the swarm's piece availability histogram (how many
// pieces have 0, 1, 2... copies among the live peers' bitfields): rarest first keeps it narrow and moving
// right, a random or sequential picker leaves a tail of rare pieces. A DHT node (role "dht") shows its
// k-buckets and its last lookup (dht_view.h), and so does a peer whose status carries a `dht` object, in
// place of the histogram and the connections. Field names are those of Peer::status()
// (bittorrent/peer_status.h), PeerConnection::status(), Tracker::status() and DhtCore::status().
class BitTorrentPanel : public SystemPanel {
 public:
  std::string_view title() const override { return "BitTorrent"; }
  std::string_view key_figure_name() const override { return "progress"; }
  // A peer's share of pieces ("61%", "seed" once complete), ordered by progress; a tracker's peer count; a
  // DHT node's table size.
  KeyFigure key_figure(const Node& node) const override;
  void draw(Area& area, const PanelContext& context) const override;

 private:
  void draw_peer(Area& area, const PanelContext& context) const;
  void draw_tracker(Area& area, const PanelContext& context) const;
};

// The copies of each piece among the live BitTorrent peers of `lab` (their last bitfields, BEP 3 order);
// empty before any peer reported one.
std::vector<std::uint32_t> swarm_availability(const LabModel& lab);

}  // namespace p2p::dashboard
