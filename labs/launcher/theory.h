// The labs' theory curves: what each lab's model predicts, drawn next to what the run measured.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "labs/launcher/event_plots.h"
#include "labs/launcher/plots.h"
#include "labs/launcher/timeseries.h"

namespace p2p::labs {

// A per-second ratio column: numerator / denominator, NaN where the denominator is 0.
void add_ratio(TimeSeries& series, const std::string& name, const std::string& numerator,
               const std::string& denominator);

// Napster's single point of failure (labs/02-napster): with one central index, a search can succeed exactly
// when the server is up, whatever the number of peers, so the model of search success is 1 before the kill,
// 0 during the outage and 1 again after the restart (minus the re-login backoff the measurement shows).
// Adds search_success (measured) and theory_search_success.
std::vector<PlotSpec> napster_theory(TimeSeries& series, const nlohmann::json& summary);

// Gnutella's flooding (labs/03-gnutella), second by second. Every node that processes a query reports one
// query_seen and the originator none, so query_seen / query_sent in a second is the mean reach of the
// queries sent in it (a flood ends within a second); divided by the other nodes up, it is the share of the
// network a query reaches, which churn lowers until the overlay has replaced the links it lost. Adds reach,
// reach_share, the same over the last 5 s (reach_5s, reach_share_5s), and mean_degree (sys_neighbours /
// nodes_up). No theory curve: the reach a TTL allows is what the TTL sweep measures.
std::vector<PlotSpec> gnutella_theory(TimeSeries& series, const nlohmann::json& summary);

// KaZaA's supernode failure (labs/04-kazaa, sn-failure.ini). A child re-attaches well within a second of
// losing its supernode, so second by second the kill shows only as that second's detached and attached
// events (plotted here); each child's own re-attach time is kazaa_reattach_plot(), one point per child. Adds
// no column. No theory curve: how long detection takes is the heartbeat's, which the run measures
// (reattach_s_max).
std::vector<PlotSpec> kazaa_theory(TimeSeries& series, const nlohmann::json& summary);
// Each re-attach (an attached event with reattach true) at the time it happened, at the height of its join_ms
// in seconds: after a supernode dies, one point per child it had.
EventPlot kazaa_reattach_plot();

// CoolStreaming's live stream (labs/06-coolstreaming), second by second, from the peers' cumulative status
// counters summed over the peers that reported in the second (coolstreaming/PROTOCOL.md, "Telemetry"): the
// audience's continuity so far, sys_on_time / sys_due (a peer replaced under churn starts its counters
// again, so a dip shows the newcomers' misses); the control overhead, sys_control_bytes / sys_video_bytes;
// and the hybrid server's share, sys_server_bytes / sys_video_bytes. Adds continuity, control_overhead and
// server_share, and plots them with the joins, refusals and player starts per second. No theory curve: the
// paper's figures are the scenario's [goal] lines.
std::vector<PlotSpec> coolstreaming_theory(TimeSeries& series, const nlohmann::json& summary);

}  // namespace p2p::labs
