// KaZaA's lab summariser: each node's newest role and attachment, whether it is still up, and the figures of
// its queries, re-attaches and downloads.
#include "labs/launcher/summaries/kazaa.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "common/telemetry/fields.h"
#include "labs/launcher/summaries/figures.h"
#include "labs/launcher/summaries/node_runs.h"

namespace p2p::labs {
namespace {

using nlohmann::json;

using telemetry::data_of;
using telemetry::field_at;
using telemetry::flag_at;
using telemetry::number_at;
using telemetry::string_at;

// The newest of several reports of one fact: events come before statuses in the records, so their order
// does not say which is newer, their times do.
template <typename T>
struct Newest {
  std::optional<T> value;
  double t = -std::numeric_limits<double>::infinity();
  void note(T v, double at) {
    if (at < t) return;
    value = std::move(v);
    t = at;
  }
};

// What the run says about one node at its end.
struct NodeEnd {
  Newest<std::string> role;  // "ordinary" or "super"
  Newest<bool> attached;     // an ordinary node's: has a supernode
  Newest<double> children;   // a supernode's
};

// What a status's sys says of the node's place in the tiers; a field it lacks says nothing.
void note_status(NodeEnd& node, const json& sys, double t) {
  if (std::string role = string_at(sys, "role"); !role.empty()) node.role.note(role, t);
  if (const json* supernode = field_at(sys, "supernode"))
    node.attached.note(supernode->is_string() && !supernode->get<std::string>().empty(), t);
  if (auto children = number_at(sys, "children")) node.children.note(*children, t);
}

// The same from the events that change it.
void note_event(NodeEnd& node, const std::string& event, const json& data, double t) {
  if (event == "role") {
    std::string role = string_at(data, "role");
    if (!role.empty()) node.role.note(role, t);
    // A node takes a role with nothing in it: a supernode with no children (kazaa/election.h), an ordinary
    // node with no supernode. One that never gains any has none at the end.
    if (role == "super") node.children.note(0, t);
    if (role == "ordinary") node.attached.note(false, t);
  } else if (event == "attached" || event == "detached") {
    node.attached.note(event == "attached", t);
  } else if (event == "child_joined" || event == "child_left") {
    if (auto children = number_at(data, "children")) node.children.note(*children, t);
  }
}

// When the launcher began stopping the nodes (lab_ending), or never.
double teardown_of(const std::vector<json>& records) {
  for (const json& record : records) {
    if (string_at(record, "system") == "launcher" && string_at(record, "event") == "lab_ending")
      return number_at(record, "t").value_or(0);
  }
  return std::numeric_limits<double>::infinity();
}

}  // namespace

json kazaa_summary(const std::vector<json>& records) {
  std::map<std::string, NodeEnd> nodes;
  std::set<std::string> queries;
  std::map<std::string, double> messages_by_query;  // search_done.messages, once per query
  std::map<std::string, double> answered;           // id -> latency_ms, of the first query_done with results
  std::size_t reattaches = 0;
  std::optional<double> reattach_max;
  std::size_t verified = 0;
  std::size_t corrupt_files = 0;

  double teardown = teardown_of(records);
  for (const json& record : records) {
    if (!record.is_object()) continue;
    double t = number_at(record, "t").value_or(0);
    if (t >= teardown) continue;
    std::string system = string_at(record, "system");
    std::string kind = string_at(record, "kind");
    if (system != "kazaa") continue;
    NodeEnd& node = nodes[string_at(record, "node")];
    if (const json* sys = field_at(record, "sys"); kind == "status" && sys != nullptr && sys->is_object()) {
      note_status(node, *sys, t);
      continue;
    }
    if (kind != "event") continue;
    std::string event = string_at(record, "event");
    const json& data = data_of(record);
    std::string id = string_at(data, "id");
    note_event(node, event, data, t);
    if (event == "query_sent" && !id.empty()) {
      queries.insert(id);
    } else if (event == "search_done" && !id.empty()) {
      if (auto messages = number_at(data, "messages")) messages_by_query.try_emplace(id, *messages);
    } else if (event == "query_done" && !id.empty()) {
      if (number_at(data, "results").value_or(0) > 0)
        answered.try_emplace(id, number_at(data, "latency_ms").value_or(0));
    } else if (event == "attached" && flag_at(data, "reattach")) {
      ++reattaches;
      if (auto join_ms = number_at(data, "join_ms"))
        reattach_max = std::max(reattach_max.value_or(0), *join_ms);
    } else if (event == "download_done") {
      if (flag_at(data, "ok") && flag_at(data, "verified")) ++verified;
      if (download_corrupt(data)) ++corrupt_files;
    }
  }

  std::size_t supernodes = 0;
  std::size_t reporting = 0;  // supernodes that said how many children they have
  double children = 0;
  std::size_t orphans = 0;
  // The nodes up when the launcher began stopping them: a kill, a leave or a crash ended the others. A node
  // the launcher never mentions (a recording of kazaa records alone) counts as up.
  NodeRuns runs = read_node_runs(records);
  for (const auto& [name, node] : nodes) {
    if (auto it = runs.find(name); it != runs.end() && !it->second.up_at(teardown)) continue;
    if (node.role.value == "super") {
      ++supernodes;
      if (node.children.value) {
        ++reporting;
        children += *node.children.value;
      }
    } else if (node.role.value == "ordinary" && node.attached.value == false) {
      ++orphans;
    }
  }
  double messages = 0;
  for (const auto& [id, count] : messages_by_query) messages += count;
  std::vector<double> hit_latencies;  // of the queries sent in this run
  for (const auto& [id, latency] : answered) {
    if (queries.contains(id)) hit_latencies.push_back(latency);
  }

  return {{"supernodes", supernodes},
          {"children_per_super_mean", mean_or_null(children, reporting)},
          {"queries", queries.size()},
          {"messages_per_query_mean", mean_or_null(messages, messages_by_query.size())},
          {"hit_ratio", mean_or_null(static_cast<double>(hit_latencies.size()), queries.size())},
          {"latency_ms_median", median_or_null(std::move(hit_latencies))},
          {"reattaches", reattaches},
          {"reattach_s_max", reattach_max ? json(*reattach_max / 1000) : json(nullptr)},
          {"orphans_at_end", orphans},
          {"downloads_verified", verified},
          {"downloads_corrupt", corrupt_files}};
}

}  // namespace p2p::labs
