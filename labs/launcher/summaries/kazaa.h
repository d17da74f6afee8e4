// KaZaA's lab summariser: the two-tier network's figures (issue 13), from a run's telemetry records.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

namespace p2p::labs {

// Reads telemetry records (schema v1, common/telemetry/schema.h; the kazaa-node events and status of
// kazaa/PROTOCOL.md, "Telemetry") and returns the `metrics` of summary.json. A query is one query_sent event;
// its search_done (at the supernode) and query_done (at the ordinary node) carry the same id.
//   supernodes               nodes alive at the end whose newest role is "super": a promoted node counts, a
//                            demoted or killed one does not
//   children_per_super_mean  over those supernodes, the mean of their newest children count (0 from the
//                            moment their role event makes them super)
//   messages_per_query_mean  search_done.messages (every signalling message of the search, on any wire),
//                            averaged over the search_done events of distinct queries
//   hit_ratio                queries whose query_done has results > 0 / queries
//   latency_ms_median        the median latency_ms of the query_done events with a hit
//   reattaches               attached events with reattach true (a child that lost its supernode)
//   reattach_s_max           over those, the largest join_ms, in seconds
//   orphans_at_end           ordinary nodes alive at the end whose newest word is that they have no supernode
//                            (from the moment their role event makes them ordinary until they attach)
//   downloads_verified       download_done events with ok and verified true
//   downloads_corrupt        download_done events whose whole file arrived (bytes >= size > 0) and still
//                            failed: common/transfer keeps a download only if its SHA-1 is the catalogue's,
//                            so this is a hash mismatch (a short or refused transfer is a failure, not
//                            corrupt)
// "Newest" is the latest in time of what the events that change it (role; attached and detached;
// child_joined and child_left) and the node's status (sys.role, sys.supernode, sys.children) said.
// The end is the launcher's lab_ending: from then on the launcher stops every node, and a child that sees
// its supernode stop first, or a supernode its children, reports the teardown, not the run, so no record
// from then on counts (without a lab_ending, in hand-made records, every record does). Alive at
// the end: a node the launcher has not killed, asked to leave, or seen exit unasked (node_exited with
// expected false) since it last started it; a node the launcher never mentioned counts as alive.
// Ratios, means and maxima with nothing to take them over are null. Records that lack a field or carry the
// wrong type are skipped, never thrown on.
nlohmann::json kazaa_summary(const std::vector<nlohmann::json>& records);

}  // namespace p2p::labs
