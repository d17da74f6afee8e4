// QueryTracker: the queries this servent sent, and what came back for each, until its window closes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/util/time.h"
#include "gnutella/descriptor.h"
#include "gnutella/guid.h"

namespace p2p::gnutella {

// One query, from the originator's side. Reach and message counts are not here: no servent can see them,
// since flooding tells the originator nothing about who forwarded (the lab adds up every node's
// query_seen events instead).
struct QueryRecord {
  Guid guid{};
  std::string words{};
  std::optional<std::size_t> file{};  // the catalogue file wanted, for workload queries
  std::uint8_t ttl = 0;
  std::size_t sent = 0;  // copies sent, one per neighbour
  TimePoint started{};
  std::size_t hits = 0;     // QueryHit descriptors received
  std::size_t results = 0;  // files named in them
  std::set<Endpoint> responders{};
  std::optional<Duration> first_hit{};
  bool target_found = false;      // some result is the wanted file
  bool download_decided = false;  // the servent has chosen whether to download for this query

  // The query_done event's data.
  nlohmann::json to_json() const;
};

// Collects the QueryHits that come back for each query this servent sends, for `window` after sending:
// later hits are ignored and the record is handed back for its final event. The servent's router has its
// own, longer memory of the GUIDs, which routes hits; this only counts them.
class QueryTracker {
 public:
  explicit QueryTracker(Duration window = seconds(10)) : window_(window) {}

  void start(QueryRecord record);
  // A QueryHit for one of our queries; the updated record, or null if the query is unknown or closed.
  QueryRecord* hit(const Guid& guid, const QueryHit& hit, TimePoint now);
  // The queries whose window has closed by `now`, oldest first; they are forgotten.
  std::vector<QueryRecord> expire(TimePoint now);

  std::size_t open() const { return open_.size(); }
  // The most recent query, open or closed, for the dashboard.
  const std::optional<QueryRecord>& last() const { return last_; }

 private:
  Duration window_;
  std::unordered_map<Guid, QueryRecord, GuidHash> open_;
  std::multimap<TimePoint, Guid> by_start_;
  std::optional<QueryRecord> last_;
};

}  // namespace p2p::gnutella
