// A BitTorrent run's distribution time against the lecture's bounds (labs/01-client-server-vs-p2p).
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

namespace p2p::labs {

// Reads the same records as bittorrent_summary and adds to its `metrics`:
//   distribution_time_s    from the first leecher's start to the last leecher's completion; null unless every
//                          leecher completed. The lecture's model has every peer ask for the file at time 0,
//                          when the server already holds it: the first leecher's start is that moment here
//                          (the tracker and the seed start before it), and a leecher the launcher starts
//                          later loses its delay inside the measured time, as a slow peer would
//   bound_client_server_s  D_cs = max(N F / u_s, F / d_min)
//   bound_p2p_s            D_p2p = max(F / u_s, F / d_min, N F / (u_s + sum u_i)), every leecher uploading at
//                          its link's rate
//   bound_s                the bound this run can reach: D_p2p with u_i = 0 for a free rider (so D_cs when no
//                          leecher uploads)
//   bound_ratio            distribution_time_s / bound_s: 1 is as fast as the links allow
// F is the torrent's size from the peers' status (`size`); u_s is the sum of the seeds' uplinks, u_i each
// leecher's uplink and d_min the slowest leecher downlink, from the launcher's node_started events (an
// uncapped link has no term). Seeds, leechers and the tracker are told apart as bittorrent_summary does. A
// figure that cannot be computed is null.
void add_distribution_bound(const std::vector<nlohmann::json>& records, nlohmann::json& metrics);

// bittorrent_summary's metrics with the bound's figures added: the summariser the labs' registry runs.
nlohmann::json bittorrent_summary_with_bound(const std::vector<nlohmann::json>& records);

}  // namespace p2p::labs
