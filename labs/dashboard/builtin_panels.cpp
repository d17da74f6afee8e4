// The panels the dashboard knows: one line per system that has its own (the rest get the generic panel).
#include "labs/dashboard/bittorrent_panel.h"
#include "labs/dashboard/coolstreaming_panel.h"
#include "labs/dashboard/gnutella_panel.h"
#include "labs/dashboard/kazaa_panel.h"
#include "labs/dashboard/napster_panel.h"
#include "labs/dashboard/system_panel.h"

namespace p2p::dashboard {

PanelRegistry builtin_panels() {
  PanelRegistry registry;
  registry.add("napster", std::make_unique<NapsterPanel>());
  registry.add("bittorrent", std::make_unique<BitTorrentPanel>());
  registry.add("gnutella", std::make_unique<GnutellaPanel>());
  registry.add("kazaa", std::make_unique<KazaaPanel>());
  registry.add("coolstreaming", std::make_unique<CoolStreamingPanel>());
  return registry;
}

}  // namespace p2p::dashboard
