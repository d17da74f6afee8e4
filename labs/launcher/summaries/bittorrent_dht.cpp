// Checking lab lookups against the true k closest: every node's 160-bit id as three words, XOR distances
// compared as numbers, each id for the life of the node's process that reported it.
#include "labs/launcher/summaries/bittorrent_dht.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/telemetry/fields.h"
#include "common/util/encoding.h"
#include "labs/launcher/summaries/figures.h"

namespace p2p::labs::bt {
namespace {

using nlohmann::json;
using telemetry::number_at;
using telemetry::string_at;

// A 160-bit id, most significant word first (the last holds 32 bits); comparing two XOR distances as
// arrays compares them as numbers.
using Id = std::array<std::uint64_t, 3>;

std::optional<Id> id_of_hex(const std::string& text) {
  auto bytes = from_hex(text);
  if (!bytes || bytes->size() != 20) return std::nullopt;
  Id id{};
  for (std::size_t i = 0; i < 20; ++i) id[i / 8] = (id[i / 8] << 8) | (*bytes)[i];
  return id;
}

Id distance(const Id& a, const Id& b) {
  return {a[0] ^ b[0], a[1] ^ b[1], a[2] ^ b[2]};
}

// One run of a bt-dht node's process, with the id it reported at its start (a restart may draw another).
struct DhtLife {
  std::string name;
  Id id;
  Uptime up;
};

std::vector<DhtLife> lives(const Run& run) {
  std::vector<DhtLife> out;
  for (const auto& [name, peer] : run.peers) {
    auto launched = run.launched.find(name);
    if (!peer.dht || launched == run.launched.end()) continue;
    for (const DhtEvent& start : peer.dht_starts) {
      auto id = id_of_hex(string_at(*start.data, "node_id"));
      // The run the start came in: the last one begun by then.
      const Uptime* life = nullptr;
      for (const Uptime& up : launched->second.runs) {
        if (up.from <= start.t) life = &up;
      }
      if (id && life) out.push_back({name, *id, *life});
    }
  }
  return out;
}

// Whether one lookup found the k closest: see lookup_success in bittorrent_dht.h.
bool found_k_closest(const std::vector<DhtLife>& nodes, const std::string& asker, const DhtEvent& lookup) {
  auto target = id_of_hex(string_at(*lookup.data, "target"));
  const json* closest = telemetry::field_at(*lookup.data, "closest");
  if (!target || closest == nullptr || !closest->is_array() || closest->empty()) return false;
  std::set<Id> found;
  Id farthest{};
  for (const json& hex : *closest) {
    auto id = hex.is_string() ? id_of_hex(hex.get<std::string>()) : std::nullopt;
    if (!id) return false;
    found.insert(*id);
    farthest = std::max(farthest, distance(*id, *target));
  }
  double from = lookup.t - number_at(*lookup.data, "seconds").value_or(0);
  bool full = found.size() >= kLookupK;
  for (const DhtLife& node : nodes) {
    if (node.name == asker || found.count(node.id)) continue;
    // A missing node matters if it is closer than the farthest found, or at all while fewer than k were.
    if (full && !(distance(node.id, *target) < farthest)) continue;
    if (node.up.from <= from && (!node.up.to || lookup.t <= *node.up.to)) return false;
  }
  return true;
}

}  // namespace

json dht_lookup_figures(const Run& run) {
  std::vector<DhtLife> nodes = lives(run);
  if (nodes.empty()) return json::object();
  std::set<std::string> names;
  for (const DhtLife& node : nodes) names.insert(node.name);
  std::vector<double> hops, messages;
  std::size_t lookups = 0, succeeded = 0;
  for (const auto& [name, peer] : run.peers) {
    for (const DhtEvent& lookup : peer.lookups) {
      ++lookups;
      if (auto value = number_at(*lookup.data, "hops")) hops.push_back(*value);
      if (auto value = number_at(*lookup.data, "messages")) messages.push_back(*value);
      if (found_k_closest(nodes, name, lookup)) ++succeeded;
    }
  }
  return {{"dht_nodes", names.size()},
          {"log2_nodes", std::log2(static_cast<double>(names.size()))},
          {"lookups", lookups},
          {"lookup_hops_median", median_or_null(std::move(hops))},
          {"lookup_messages_median", median_or_null(std::move(messages))},
          {"lookup_success", mean_or_null(static_cast<double>(succeeded), lookups)}};
}

}  // namespace p2p::labs::bt
