// The DHT node on a Runtime: datagrams in and out, a tick timer, the announce timer, and the status record.
#include "bittorrent/dht/dht_core.h"

#include "common/util/encoding.h"
#include "common/util/median.h"

namespace p2p::bittorrent::dht {
namespace {

NodeConfig with_id(NodeConfig node, const std::optional<NodeId>& id, Rng& rng) {
  node.id = id ? *id : NodeId::random(rng);
  return node;
}

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
    : runtime_(runtime),
      config_(std::move(config)),
      node_(with_id(config_.node, config_.id, runtime.random()), runtime.random(), runtime.now(),
            [this](const Endpoint& to, Bytes bytes) { runtime_.send_datagram(to, std::move(bytes)); }) {}

void DhtCore::on_start() {
  // A restarted node may draw another id: the lab's check of lookups needs each life's.
  runtime_.telemetry().event("dht_started", {{"node_id", hex(node_.id())}});
  runtime_.every(config_.tick, [this] { node_.tick(runtime_.now()); });
  if (config_.announce) runtime_.every(config_.announce_every, [this] { announce(); });
  if (config_.bootstrap.empty()) {
    joined_ = true;
    start_lookups();
    return;
  }
  node_.bootstrap(config_.bootstrap, runtime_.now(), [this](const LookupResult& result) {
    joined_ = true;
    runtime_.log(LogLevel::Info, "dht: joined, " + std::to_string(result.closest.size()) + " close nodes, " +
                                     std::to_string(node_.table().size()) + " in the table");
    if (config_.announce) announce();
    start_lookups();
  });
}

void DhtCore::start_lookups() {
  if (config_.lookup_every <= Duration::zero()) return;
  auto period = static_cast<std::uint64_t>(config_.lookup_every.count());
  runtime_.after(Duration(static_cast<Duration::rep>(runtime_.random().below(period))), [this] {
    random_lookup();
    runtime_.every(config_.lookup_every, [this] { random_lookup(); });
  });
}

void DhtCore::random_lookup() {
  TimePoint started = runtime_.now();
  node_.find_node(NodeId::random(runtime_.random()), started, [this, started](const LookupResult& result) {
    nlohmann::json closest = nlohmann::json::array();
    for (const NodeInfo& node : result.closest) closest.push_back(hex(node.id));
    runtime_.telemetry().event("lookup_done", {{"target", hex(result.target)},
                                               {"hops", result.hops},
                                               {"messages", result.messages},
                                               {"found", result.closest.size()},
                                               {"seconds", to_seconds(runtime_.now() - started)},
                                               {"closest", std::move(closest)}});
  });
}

void DhtCore::announce() {
  node_.announce(config_.announce->info_hash, config_.announce->port, false, runtime_.now());
}

std::unique_ptr<Framer> DhtCore::framer_for(ConnId, bool) {
  return std::make_unique<LengthPrefixFramer>(16);
}

void DhtCore::on_connected(ConnId conn, bool, const Endpoint&) {
  runtime_.close(conn, "dht: KRPC is served over UDP only");
}

void DhtCore::on_datagram(const Endpoint& from, ByteView bytes) {
  node_.on_datagram(from, bytes, runtime_.now());
}

nlohmann::json DhtCore::status() const {
  const NodeCounters& c = node_.counters();
  nlohmann::json buckets = nlohmann::json::array();
  for (const Bucket& bucket : node_.table().buckets()) buckets.push_back(bucket.nodes.size());
  nlohmann::json drops = nlohmann::json::object();
  for (const auto& [reason, count] : c.drops) drops[reason] = count;
  nlohmann::json out{{"node_id", hex(node_.id())},
                     {"table_size", node_.table().size()},
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
                     {"torrents", node_.peer_store().torrents()},
                     {"joined", joined_},
                     {"lookup_hops_median", median_or_null(node_.recent_hops())},
                     {"lookup_messages_median", median_or_null(node_.recent_messages())}};
  out["last_lookup"] = node_.last_lookup() ? lookup_json(*node_.last_lookup()) : nlohmann::json(nullptr);
  return out;
}

}  // namespace p2p::bittorrent::dht
