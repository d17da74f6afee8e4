// The dashboard's drawing of a BEP 5 DHT node, as a function of its status object: the whole status of a
// bt-dht node (bittorrent/dht/dht_core.h), or the `dht` object of a bt-peer that runs its own node.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "labs/dashboard/canvas.h"
#include "labs/dashboard/system_panel.h"

namespace p2p::dashboard {

// BEP 5: "Each bucket can only hold K nodes, currently eight"; the bars are drawn against this limit.
inline constexpr int kDhtBucketSize = 8;
// BEP 5's ids are 160 bits: a table has at most this many buckets, a distance at most this many bits.
inline constexpr int kDhtIdBits = 160;

// The XOR distances bucket `bucket` of `buckets` (farthest first) covers, as "2^i..2^(i+1)": bucket b holds
// the ids sharing exactly b leading bits with the own id, 2^(159-b)..2^(160-b); the last one holds every
// closer id but the own, "1..2^(161-buckets)". routing_table.h describes the split.
std::string dht_bucket_range(std::size_t bucket, std::size_t buckets);

// The table's size, "42 nodes", ordered by it; "-" before the node reported one.
KeyFigure dht_key_figure(const nlohmann::json& dht);

// Draws in `area`: a line of table and lookup counters, a line of KRPC counters, then side by side the
// k-buckets by distance (one bar per bucket against the k = 8 limit, farthest first) and the last lookup as
// its path, hop by hop, with the bits of each hop's XOR distance to the target shrinking towards it. A field
// that is missing or of the wrong type draws "-"; rows that do not fit end in a count of the rest.
void draw_dht(Area& area, const nlohmann::json& dht);

}  // namespace p2p::dashboard
