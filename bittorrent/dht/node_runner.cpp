// The DHT node on a Runtime: datagrams out, the tick and announce timers, bootstrap, and the peers found.
#include "bittorrent/dht/node_runner.h"

#include <string>
#include <utility>

#include "common/util/encoding.h"

namespace p2p::bittorrent::dht {
namespace {

NodeConfig with_id(NodeConfig node, const std::optional<NodeId>& id, Rng& rng) {
  node.id = id ? *id : NodeId::random(rng);
  return node;
}

}  // namespace

NodeRunner::NodeRunner(Runtime& runtime, NodeRunnerConfig config)
    : runtime_(runtime),
      config_(std::move(config)),
      node_(with_id(config_.node, config_.id, runtime.random()), runtime.random(), runtime.now(),
            [this](const Endpoint& to, Bytes bytes) { runtime_.send_datagram(to, std::move(bytes)); }) {}

void NodeRunner::start() {
  if (started_) return;
  started_ = true;
  runtime_.every(config_.tick, [this] { node_.tick(runtime_.now()); });
  if (config_.announce) runtime_.every(config_.announce_every, [this] { announce(); });
  if (config_.bootstrap.empty()) return on_joined();
  join();
}

void NodeRunner::join() {
  node_.bootstrap(config_.bootstrap, runtime_.now(), [this](const LookupResult& result) {
    runtime_.log(LogLevel::Info, "dht: joined, " + std::to_string(result.closest.size()) + " close nodes, " +
                                     std::to_string(node_.table().size()) + " in the table");
    if (config_.announce) announce();
    if (!joined_) on_joined();
  });
}

void NodeRunner::on_joined() {
  joined_ = true;
  start_lookups();
}

void NodeRunner::start_lookups() {
  if (config_.lookup_every <= Duration::zero()) return;
  auto period = static_cast<std::uint64_t>(config_.lookup_every.count());
  runtime_.after(Duration(static_cast<Duration::rep>(runtime_.random().below(period))), [this] {
    random_lookup();
    runtime_.every(config_.lookup_every, [this] { random_lookup(); });
  });
}

void NodeRunner::random_lookup() {
  TimePoint started = runtime_.now();
  node_.find_node(NodeId::random(runtime_.random()), started, [this, started](const LookupResult& result) {
    nlohmann::json closest = nlohmann::json::array();
    for (const NodeInfo& node : result.closest) closest.push_back(to_hex(node.id.bytes));
    runtime_.telemetry().event("lookup_done", {{"target", to_hex(result.target.bytes)},
                                               {"hops", result.hops},
                                               {"messages", result.messages},
                                               {"found", result.closest.size()},
                                               {"seconds", to_seconds(runtime_.now() - started)},
                                               {"closest", std::move(closest)}});
  });
}

void NodeRunner::announce() {
  // Every node it knew went silent (bad nodes are never asked): it joins again, and announces once joined.
  bool nobody = node_.table().closest(node_.id(), 1, runtime_.now()).empty();
  if (nobody && !config_.bootstrap.empty()) return join();
  node_.announce(config_.announce->info_hash, config_.announce->port, false, runtime_.now(),
                 [this](const LookupResult& result) {
                   if (on_peers_ && !result.peers.empty()) on_peers_(result.peers);
                 });
}

}  // namespace p2p::bittorrent::dht
