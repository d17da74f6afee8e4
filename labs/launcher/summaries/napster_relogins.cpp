// Napster's re-login figures: each restarted server's life against the peers up through it.
#include "labs/launcher/summaries/napster_relogins.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "common/telemetry/fields.h"
#include "labs/launcher/summaries/node_runs.h"

namespace p2p::labs {

using nlohmann::json;
using telemetry::data_of;
using telemetry::number_at;
using telemetry::string_at;

json napster_relogin_figures(const std::vector<json>& records) {
  NodeRuns nodes = read_node_runs(records);
  // Each peer's logins ("online"), in time order.
  std::map<std::string, std::vector<double>> logins;
  double end = 0;
  for (const json& record : records) {
    auto t = number_at(record, "t");
    if (!t) continue;
    end = std::max(end, *t);
    if (string_at(record, "system") == "napster" && string_at(record, "event") == "server_state" &&
        string_at(data_of(record), "state") == "online")
      logins[string_at(record, "node")].push_back(*t);
  }
  std::size_t restarts = 0, expected = 0, paid = 0;
  std::optional<double> slowest;
  for (const auto& [server, launched] : nodes) {
    if (launched.role != "server") continue;
    for (std::size_t life = 1; life < launched.runs.size(); ++life) {
      ++restarts;
      double from = launched.runs[life].from, to = launched.runs[life].to.value_or(end);
      for (const auto& [peer, runs] : nodes) {
        if (runs.role == "server" || !runs.up_through(from, to)) continue;
        ++expected;
        const std::vector<double>& times = logins[peer];
        auto login = std::ranges::find_if(times, [&](double t) { return t >= from && t <= to; });
        if (login == times.end()) continue;
        ++paid;
        slowest = std::max(slowest.value_or(0), *login - from);
      }
    }
  }
  if (restarts == 0) return json::object();
  return {{"server_restarts", restarts},
          {"relogins_expected", expected},
          {"relogins", paid},
          {"relogin_s_max", slowest ? json(*slowest) : json(nullptr)}};
}

}  // namespace p2p::labs
