// QueryReach: the one count of how far a flooded query got, shared by the lab summary and the dashboard.
#pragma once

#include <cstddef>
#include <functional>
#include <set>
#include <string>
#include <utility>

namespace p2p::telemetry {

// The nodes a flooded query reached, as the labs measure it from the events of every node: no servent can
// see it (GDF Gnutella 0.6, 2.2.7: a query floods with TTL and hops, and its originator learns only of the
// hits), so each node that processes the query publishes a query_seen for its GUID. A node counts once,
// however many query_seen it publishes (one that restarts has forgotten the GUIDs it saw and may process
// the query again), and the originator never counts. A caller counts a query_seen's other figures, such as
// its forwarded copies, only when add() takes its node, so that messages and reach stay in step.
class QueryReach {
 public:
  explicit QueryReach(std::string originator = {}) : originator_(std::move(originator)) {}

  // One query_seen from `node`: true when the query had not reached that node yet.
  bool add(const std::string& node) { return node != originator_ && nodes_.insert(node).second; }
  // The nodes reached, the originator excluded.
  std::size_t size() const { return nodes_.size(); }

 private:
  std::string originator_;
  std::set<std::string, std::less<>> nodes_;
};

}  // namespace p2p::telemetry
