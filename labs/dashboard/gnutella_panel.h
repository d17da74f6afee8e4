// GnutellaPanel: the dashboard's view of a Gnutella servent (gnutella/servent.h): its neighbours, and how
// its last query flooded the overlay.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/telemetry/query_reach.h"
#include "labs/dashboard/system_panel.h"

namespace p2p::dashboard {

// One hop of a flood: the Query copies sent to nodes that far from the originator, the nodes that processed
// the query there for the first time (the rest of the copies were duplicates, dropped by the seen-table),
// and the QueryHits their answers brought back. Nodes and copies count as the lab summary counts them
// (common/telemetry/query_reach.h).
struct HopFigures {
  std::size_t copies = 0;
  std::size_t nodes = 0;
  std::size_t hits = 0;
};

// What the whole lab saw of one query (GDF Gnutella 0.6, 2.2.7: flooding with TTL and hops). No servent
// knows this, flooding tells the originator nothing of who forwarded, so it is added up from every node's
// events: query_sent (originator: ttl, sent), query_seen (each node reached: hops, forwarded) and query_hit
// (originator: hops of the responder, latency_ms).
struct QueryTrace {
  std::string guid;
  std::string words;
  double sent_at = 0;  // the query_sent record's time
  int ttl = 0;
  std::map<int, HopFigures> hops;  // by distance from the originator, 1 for its neighbours
  std::optional<double> first_hit_ms;
  telemetry::QueryReach reach;

  std::size_t reached() const;   // nodes that processed it, the originator excluded
  std::size_t messages() const;  // Query descriptors put on a wire: every copy at every hop
  std::size_t hits() const;
};

// The last query of every servent, kept up to date from the events of the whole lab as they arrive. Holds
// one trace per originator, so memory stays bounded however long the lab runs; a query_seen for an older
// query, or one that arrives before its query_sent, is not counted.
class QueryTraces {
 public:
  void observe(const LoggedEvent& event);
  const QueryTrace* last_of(std::string_view node) const;

 private:
  std::map<std::string, QueryTrace, std::less<>> by_originator_;
  std::unordered_map<std::string, std::string> originator_of_;  // guid -> node, for the traces kept
};

// Shows what the Gnutella lab is about: a servent's place in the overlay (its neighbours, named by node id
// where the lab knows their endpoint) and the flood of its last query, hop by hop (the flooding lab,
// labs/03-gnutella). Field names are those of Servent::status() and its events.
class GnutellaPanel : public SystemPanel {
 public:
  std::string_view title() const override { return "Gnutella"; }
  std::string_view key_figure_name() const override { return "neighbours"; }
  // The servent's neighbour count.
  KeyFigure key_figure(const Node& node) const override;
  void observe(const LoggedEvent& event) override { traces_.observe(event); }
  void draw(Area& area, const PanelContext& context) const override;

 private:
  QueryTraces traces_;
};

}  // namespace p2p::dashboard
