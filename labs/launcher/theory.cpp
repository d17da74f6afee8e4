// Theory curves of the labs.
#include "labs/launcher/theory.h"

#include <algorithm>
#include <limits>

namespace p2p::labs {

void add_ratio(TimeSeries& series, const std::string& name, const std::string& numerator,
               const std::string& denominator) {
  const std::vector<double>* num = series.find(numerator);
  const std::vector<double>* den = series.find(denominator);
  std::vector<double>& out = series.column(name);
  for (std::size_t s = 0; s < series.rows(); ++s) {
    bool have = num && den && (*den)[s] > 0;
    out[s] = have ? (*num)[s] / (*den)[s] : std::numeric_limits<double>::quiet_NaN();
  }
}

std::vector<PlotSpec> napster_theory(TimeSeries& series, const nlohmann::json& summary) {
  add_ratio(series, "search_success", "search_done_ok", "search_done");
  double start = summary.value("started_at", 0.0);
  const nlohmann::json metrics = summary.value("metrics", nlohmann::json::object());
  auto moment = [&](const char* key) {
    return metrics.contains(key) && metrics[key].is_number() ? metrics[key].get<double>() - start
                                                             : std::numeric_limits<double>::infinity();
  };
  double killed = moment("server_killed_at");
  double restarted = moment("server_restarted_at");
  std::vector<double>& theory = series.column("theory_search_success");
  for (std::size_t s = 0; s < series.rows(); ++s) {
    double t = static_cast<double>(s);
    theory[s] = t >= killed && t < restarted ? 0.0 : 1.0;
  }
  return {{"search_success",
           "Search success per second: the index server is the single point of failure",
           "share of searches answered",
           {"search_success"},
           {"theory_search_success"},
           "[0:1.05]"},
          {"searches",
           "Searches per second, all and answered",
           "searches/s",
           {"search_done", "search_done_ok"},
           {},
           "[0:*]"}};
}

std::vector<PlotSpec> gnutella_theory(TimeSeries& series, const nlohmann::json& /*summary*/) {
  add_ratio(series, "reach", "query_seen", "query_sent");
  add_ratio(series, "mean_degree", "sys_neighbours", "nodes_up");
  // A few queries a second vary a lot in reach: the same ratio over the last kWindow seconds shows the trend.
  constexpr std::size_t kWindow = 5;
  const std::vector<double>* seen = series.find("query_seen");
  const std::vector<double>* sent = series.find("query_sent");
  const std::vector<double>* up = series.find("nodes_up");
  std::vector<double>& seen_window = series.column("query_seen_5s");
  std::vector<double>& sent_window = series.column("query_sent_5s");
  std::vector<double>& others = series.column("other_nodes_up");
  for (std::size_t s = 0; s < series.rows(); ++s) {
    seen_window[s] = sent_window[s] = 0;
    for (std::size_t k = s + 1 - std::min(s + 1, kWindow); k <= s; ++k) {
      seen_window[s] += seen ? (*seen)[k] : 0;
      sent_window[s] += sent ? (*sent)[k] : 0;
    }
    // The nodes a query could reach: every node up but its originator.
    others[s] = up ? std::max(0.0, (*up)[s] - 1) : 0;
  }
  add_ratio(series, "reach_5s", "query_seen_5s", "query_sent_5s");
  add_ratio(series, "reach_share", "reach", "other_nodes_up");
  add_ratio(series, "reach_share_5s", "reach_5s", "other_nodes_up");
  return {{"reach",
           "Nodes a query reaches (query_seen per query_sent: each second, and over 5 s)",
           "nodes",
           {"reach", "reach_5s", "other_nodes_up"},
           {},
           "[0:*]"},
          {"reach_share",
           "Share of the other nodes up that a query reaches",
           "share",
           {"reach_share", "reach_share_5s"},
           {},
           "[0:1.05]"},
          {"degree", "Mean neighbours per node up", "neighbours", {"mean_degree"}, {}, "[0:*]"}};
}

std::vector<PlotSpec> coolstreaming_theory(TimeSeries& series, const nlohmann::json& /*summary*/) {
  add_ratio(series, "continuity", "sys_on_time", "sys_due");
  add_ratio(series, "control_overhead", "sys_control_bytes", "sys_video_bytes");
  add_ratio(series, "server_share", "sys_server_bytes", "sys_video_bytes");
  return {{"continuity",
           "Continuity of the peers up: segments played on time / segments due, since each started",
           "continuity index",
           {"continuity"},
           {},
           "[0:1.05]"},
          {"overhead",
           "Control bytes and the server's video bytes, per video byte received",
           "share of video bytes",
           {"control_overhead", "server_share"},
           {},
           "[0:*]"},
          {"joins",
           "Joins, refused joins and player starts per second",
           "events/s",
           {"joined", "join_refused", "playing"},
           {},
           "[0:*]"}};
}

std::vector<PlotSpec> kazaa_theory(TimeSeries& /*series*/, const nlohmann::json& /*summary*/) {
  return {{"attaches",
           "Children attaching to and losing a supernode, per second",
           "events/s",
           {"attached", "detached"},
           {},
           "[0:*]"}};
}

EventPlot kazaa_reattach_plot() {
  return {.file = "reattach",
          .title = "Each child's re-attach: when it had a supernode again, and how long that took",
          .event = "attached",
          .when = "reattach",
          .field = "join_ms",
          .y_scale = 0.001,
          .ylabel = "re-attach time (s)",
          .theory = {}};
}

}  // namespace p2p::labs
