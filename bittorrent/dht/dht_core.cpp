// bt-dht's core: the NodeRunner on the Runtime's datagrams, and the status record.
#include "bittorrent/dht/dht_core.h"

#include "common/util/encoding.h"
#include "common/util/median.h"

namespace p2p::bittorrent::dht {
namespace {

std::string hex(const NodeId& id) {
  return to_hex(ByteView(id.bytes.data(), id.bytes.size()));
}

std::string_view kind_name(LookupKind kind) {
  switch (kind) {
    case LookupKind::Bootstrap:
      return "bootstrap";
    case LookupKind::FindNode:
      return "find_node";
    case LookupKind::GetPeers:
      return "get_peers";
    case LookupKind::Announce:
      return "announce";
    case LookupKind::Refresh:
      return "refresh";
  }
  return "unknown";
}

nlohmann::json lookup_json(const LookupResult& result) {
  nlohmann::json path = nlohmann::json::array();
  for (const NodeInfo& hop : result.path) {
    path.push_back(
        {{"id", hex(hop.id)}, {"distance_bits", kIdBits - shared_prefix_bits(hop.id, result.target)}});
  }
  return {{"kind", kind_name(result.kind)}, {"target", hex(result.target)},   {"hops", result.hops},
          {"messages", result.messages},    {"found", result.closest.size()}, {"peers", result.peers.size()},
          {"path", std::move(path)}};
}

nlohmann::json median_or_null(const std::deque<double>& values) {
  auto m = median(std::vector<double>(values.begin(), values.end()));
  return m ? nlohmann::json(*m) : nlohmann::json(nullptr);
}

}  // namespace

DhtCore::DhtCore(Runtime& runtime, DhtCoreConfig config)
    : runtime_(runtime), runner_(runtime, std::move(config)) {}

void DhtCore::on_start() {
  // A restarted node may draw another id: the lab's check of lookups needs each life's.
  runtime_.telemetry().event("dht_started", {{"node_id", hex(node().id())}});
  runner_.start();
}

std::unique_ptr<Framer> DhtCore::framer_for(ConnId, bool) {
  return std::make_unique<LengthPrefixFramer>(16);
}

void DhtCore::on_connected(ConnId conn, bool, const Endpoint&) {
  runtime_.close(conn, "dht: KRPC is served over UDP only");
}

void DhtCore::on_datagram(const Endpoint& from, ByteView bytes) {
  runner_.on_datagram(from, bytes);
}

nlohmann::json DhtCore::status() const {
  const NodeCounters& c = node().counters();
  nlohmann::json buckets = nlohmann::json::array();
  for (const Bucket& bucket : node().table().buckets()) buckets.push_back(bucket.nodes.size());
  nlohmann::json drops = nlohmann::json::object();
  for (const auto& [reason, count] : c.drops) drops[reason] = count;
  nlohmann::json out{{"node_id", hex(node().id())},
                     {"table_size", node().table().size()},
                     {"buckets", std::move(buckets)},
                     {"queries_in", c.queries_in},
                     {"responses_out", c.responses_out},
                     {"errors_out", c.errors_out},
                     {"queries_out", c.queries_out},
                     {"responses_in", c.responses_in},
                     {"errors_in", c.errors_in},
                     {"retries", c.retries},
                     {"timeouts", c.timeouts},
                     {"lookups", c.lookups_done},
                     {"drops", std::move(drops)},
                     {"torrents", node().peer_store().torrents()},
                     {"joined", joined()},
                     {"lookup_hops_median", median_or_null(node().recent_hops())},
                     {"lookup_messages_median", median_or_null(node().recent_messages())}};
  out["last_lookup"] = node().last_lookup() ? lookup_json(*node().last_lookup()) : nlohmann::json(nullptr);
  return out;
}

}  // namespace p2p::bittorrent::dht
