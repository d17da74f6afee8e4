// Theory curves of the labs.
#include "labs/launcher/theory.h"

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

}  // namespace p2p::labs
