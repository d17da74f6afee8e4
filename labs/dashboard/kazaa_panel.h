// KazaaPanel: the dashboard's view of a kazaa-node (kazaa/PROTOCOL.md, "Telemetry"): the two-tier tree, the
// selected node's place in it, and where its last search went among the supernodes.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "labs/dashboard/system_panel.h"

namespace p2p::dashboard {

// What a supernode's search_done says of one search: FastTrack's originating supernode answers from its own
// index, then asks further supernodes in rounds until it has enough matches (PROTOCOLS.md, KaZaA).
struct SearchFigures {
  std::string supernode;  // the node that drove it (published search_done)
  int local = 0;          // matches from its own index
  int matches = 0;        // all of them
  int supernodes_contacted = 0;
  int rounds = 0;
  int messages = 0;  // every signalling message of the search, on any wire
};

// One search as the lab saw it: the ordinary node's query_sent and query_done, and its supernode's
// search_done, matched by the query id they share.
struct KazaaSearch {
  std::string id;
  std::string origin;  // the ordinary node that sent it; empty if its query_sent was not seen
  std::string words;
  double sent_at = 0;
  std::optional<SearchFigures> search;  // once its supernode ended it
  std::optional<int> results;           // once the ordinary node got its SearchEnd or gave up
  std::optional<double> latency_ms;
};

// The last search sent by each ordinary node and the last one driven by each supernode, from the events of
// the whole lab as they arrive. One of each per node, so memory stays bounded however long the lab runs.
class KazaaSearches {
 public:
  void observe(const LoggedEvent& event);
  const KazaaSearch* last_sent_by(std::string_view node) const;
  const KazaaSearch* last_driven_by(std::string_view supernode) const;

 private:
  std::map<std::string, KazaaSearch, std::less<>> by_origin_;
  std::map<std::string, KazaaSearch, std::less<>> by_supernode_;
  std::unordered_map<std::string, std::string> origin_of_;  // query id -> node, for the searches kept
};

// Shows what the KaZaA lab is about (labs/04-kazaa): the supernodes with their children counts, the selected
// node's path to its supernode (with the RTT it chose it by), and the last search's way through the
// supernodes. Field names are those of kazaa-node's status and events.
class KazaaPanel : public SystemPanel {
 public:
  std::string_view title() const override { return "KaZaA"; }
  std::string_view key_figure_name() const override { return "tier"; }
  // A supernode's children ("SN 24 ch"), an ordinary node's attachment ("child" or "orphan").
  KeyFigure key_figure(const Node& node) const override;
  void observe(const LoggedEvent& event) override { searches_.observe(event); }
  void draw(Area& area, const PanelContext& context) const override;

 private:
  KazaaSearches searches_;
};

}  // namespace p2p::dashboard
