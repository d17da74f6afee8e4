// Gnutella's lab summariser: per-query reach, messages and hits from every node's events, then the lab's
// means.
#include "labs/launcher/summaries/gnutella.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "common/telemetry/fields.h"
#include "common/telemetry/query_reach.h"
#include "labs/launcher/summaries/figures.h"
#include "labs/launcher/summaries/gnutella_repair.h"

namespace p2p::labs {
namespace {

using nlohmann::json;

using telemetry::data_of;
using telemetry::flag_at;
using telemetry::number_at;
using telemetry::string_at;

// What the whole network saw of one query.
struct QueryFigures {
  telemetry::QueryReach reached;
  double messages = 0;
  std::size_t hits = 0;
  std::optional<double> first_hit_ms;
};

// The share of all hits answered by the top 1 % of `hosts` hosts; hosts absent from `hits_by_host` have none.
json top_share(const std::map<std::string, std::size_t>& hits_by_host, std::size_t hosts, std::size_t total) {
  if (total == 0) return nullptr;
  std::vector<std::size_t> counts;
  for (const auto& [host, hits] : hits_by_host) counts.push_back(hits);
  std::sort(counts.begin(), counts.end(), std::greater<>());
  std::size_t top = std::max<std::size_t>(1, (hosts + 99) / 100);
  std::size_t top_hits = 0;
  for (std::size_t i = 0; i < std::min(top, counts.size()); ++i) top_hits += counts[i];
  return static_cast<double>(top_hits) / static_cast<double>(total);
}

}  // namespace

json gnutella_summary(const std::vector<json>& records) {
  // query_sent first, so that events recorded before their query's (same instant, other node) still count.
  std::map<std::string, QueryFigures> queries;
  std::set<std::string> hosts;
  for (const json& record : records) {
    if (!record.is_object() || string_at(record, "system") != "gnutella") continue;
    hosts.insert(string_at(record, "node"));
    if (string_at(record, "kind") != "event" || string_at(record, "event") != "query_sent") continue;
    const json& data = data_of(record);
    std::string guid = string_at(data, "guid");
    if (guid.empty() || queries.contains(guid)) continue;
    queries[guid] = {
        telemetry::QueryReach(string_at(record, "node")), number_at(data, "sent").value_or(0), 0, {}};
  }

  std::map<std::string, std::size_t> hits_by_host;
  std::size_t query_hits = 0;
  std::size_t verified = 0, corrupt = 0;
  for (const json& record : records) {
    if (!record.is_object() || string_at(record, "system") != "gnutella" ||
        string_at(record, "kind") != "event") {
      continue;
    }
    std::string event = string_at(record, "event");
    const json& data = data_of(record);
    if (event == "download_done") {
      if (flag_at(data, "ok") && flag_at(data, "verified")) ++verified;
      if (download_corrupt(data)) ++corrupt;
      continue;
    }
    auto query = queries.find(string_at(data, "guid"));
    if (query == queries.end()) continue;
    QueryFigures& q = query->second;
    if (event == "query_seen") {
      if (q.reached.add(string_at(record, "node"))) q.messages += number_at(data, "forwarded").value_or(0);
    } else if (event == "query_hit") {
      ++q.hits;
      ++query_hits;
      ++hits_by_host[string_at(data, "from")];
      if (auto latency = number_at(data, "latency_ms")) {
        q.first_hit_ms = std::min(q.first_hit_ms.value_or(*latency), *latency);
      }
    }
  }

  double reach = 0;
  double messages = 0;
  std::size_t answered = 0;
  std::vector<double> first_hits;
  for (const auto& [guid, q] : queries) {
    reach += static_cast<double>(q.reached.size());
    messages += q.messages;
    if (q.hits > 0) ++answered;
    if (q.first_hit_ms) first_hits.push_back(*q.first_hit_ms);
  }
  std::size_t population = std::max(hosts.size(), hits_by_host.size());
  json metrics = {{"queries", queries.size()},
                  {"reach_mean", mean_or_null(reach, queries.size())},
                  {"messages_per_query_mean", mean_or_null(messages, queries.size())},
                  {"hit_ratio", mean_or_null(static_cast<double>(answered), queries.size())},
                  {"first_hit_ms_median", median_or_null(std::move(first_hits))},
                  {"top1pct_hit_share", top_share(hits_by_host, population, query_hits)},
                  {"downloads_verified", verified},
                  {"downloads_corrupt", corrupt},
                  {"hosts", population},
                  {"query_hits", query_hits}};
  metrics.update(gnutella_repair_figures(records));
  return metrics;
}

}  // namespace p2p::labs
