// NapsterPanel: the dashboard's view of a Napster index server or peer (napster/server.h, napster/peer.h).
#pragma once

#include "labs/dashboard/system_panel.h"

namespace p2p::dashboard {

// Shows what the Napster lab is about: the central index and whether peers can reach it (napster.txt; the
// SPOF lab). A server shows its index size, searches per second and the queries peers report; a peer shows
// its server state, its searches and its transfers. Field names are those of Server::status(),
// Peer::status() and their events (search_done, server_state, download_done, login, logout, rejected).
class NapsterPanel : public SystemPanel {
 public:
  std::string_view title() const override { return "Napster"; }
  std::string_view key_figure_name() const override { return "index/state"; }
  // A server's index size in files; a peer's server state (ordered offline < connecting < logging_in <
  // online).
  KeyFigure key_figure(const Node& node) const override;
  void draw(Area& area, const PanelContext& context) const override;

 private:
  void draw_server(Area& area, const PanelContext& context) const;
  void draw_peer(Area& area, const PanelContext& context) const;
};

}  // namespace p2p::dashboard
