// Gnutella's lab summariser: the flooding lab's figures (issue 6), from a run's telemetry records.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

namespace p2p::labs {

// Reads telemetry records (schema v1, common/telemetry/schema.h) and returns the `metrics` of summary.json.
// A query is one query_sent event; its other events are matched to it by GUID.
//   queries                  query_sent events (distinct GUIDs)
//   reach_mean               per query, the distinct nodes other than the originator that published a
//                            query_seen for its GUID (the originator never processes its own query, and
//                            is excluded even if it did), averaged over queries
//   messages_per_query_mean  per query, query_sent.sent plus the sum of `forwarded` over its query_seen
//                            events: every Query descriptor the flood put on a wire; averaged over queries
//   hit_ratio                queries with at least one query_hit event / queries
//   first_hit_ms_median      over queries with a hit, the median of each query's smallest query_hit
//                            latency_ms (the mean of the two middle values for an even count)
//   top1pct_hit_share        share of all query_hit events whose responder (`from`) is among the top 1 %
//                            of ALL hosts of the run ranked by the query_hit events they answered, as Adar
//                            and Huberman ("Free Riding on Gnutella", 2000) measured: ceil(hosts / 100)
//                            hosts, at least one. Hosts are the distinct nodes that published any gnutella
//                            record (or the distinct responders, if that is more), so free riders and
//                            silent hosts count in the population with zero hits.
//   downloads_verified       download_done events with ok and verified true
//   downloads_corrupt        download_done events that received the whole file and failed its SHA-1
// and, after SIGKILLs, the overlay's repair (gnutella_repair.h). Ratios and means with nothing to average are
// null. It also returns `hosts` and `query_hits`, the population and the total behind top1pct_hit_share.
// Records that lack a field or carry the wrong type are skipped, never thrown on.
nlohmann::json gnutella_summary(const std::vector<nlohmann::json>& records);

}  // namespace p2p::labs
