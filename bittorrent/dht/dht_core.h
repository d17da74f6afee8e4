// DhtCore: a BEP 5 DHT node as a protocol core (bt-dht, and the DHT labs): the pure Node on the Runtime's
// datagrams and timers, with its status for telemetry and the dashboard.
#pragma once

#include "bittorrent/dht/node_runner.h"
#include "common/node/core.h"

namespace p2p::bittorrent::dht {

// bt-dht's node: what a NodeRunner is built with.
using DhtCoreConfig = NodeRunnerConfig;

// Serves KRPC on the node's datagram port; takes no TCP connections. At start its NodeRunner bootstraps
// (when given nodes), then announces (when asked) and again every announce_every. Status fields: node_id,
// table_size, buckets (nodes per bucket, farthest first), queries_in, responses_out, errors_out, queries_out,
// responses_in, errors_in, retries, timeouts, lookups, drops {reason: count}, torrents, joined,
// lookup_hops_median, lookup_messages_median, last_lookup {kind, target, hops, messages, found, peers,
// path [{id, distance_bits}]}: the hops of the last lookup, each with the bit length of its XOR distance to
// the target.
class DhtCore : public Core {
 public:
  DhtCore(Runtime& runtime, DhtCoreConfig config);

  std::string_view system() const override { return "bittorrent"; }
  std::string_view role() const override { return "dht"; }
  void on_start() override;
  std::unique_ptr<Framer> framer_for(ConnId conn, bool inbound) override;
  void on_connected(ConnId conn, bool inbound, const Endpoint& remote) override;
  void on_frame(ConnId, ByteView) override {}
  void on_closed(ConnId, std::string_view) override {}
  bool uses_datagrams() const override { return true; }
  void on_datagram(const Endpoint& from, ByteView bytes) override;
  // Nothing to say on leaving: BEP 5 has no goodbye, other nodes time this one out.
  void on_leave() override { runtime_.stop(); }
  nlohmann::json status() const override;

  Node& node() { return runner_.node(); }
  const Node& node() const { return runner_.node(); }
  // Whether the bootstrap lookup has ended (at once for a node given no bootstrap nodes).
  bool joined() const { return runner_.joined(); }

 private:
  Runtime& runtime_;
  NodeRunner runner_;
};

}  // namespace p2p::bittorrent::dht
