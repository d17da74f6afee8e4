// DhtCore: a BEP 5 DHT node as a protocol core (bt-dht, and the DHT labs): the pure Node on the Runtime's
// datagrams and timers, with its status for telemetry and the dashboard.
#pragma once

#include <optional>
#include <vector>

#include "bittorrent/dht/node.h"
#include "common/node/core.h"

namespace p2p::bittorrent::dht {

// A torrent this node announces itself for (a lab's stand-in for a peer).
struct DhtAnnounce {
  NodeId info_hash;
  std::uint16_t port = 0;
  friend bool operator==(const DhtAnnounce&, const DhtAnnounce&) = default;
};

struct DhtCoreConfig {
  std::optional<NodeId> id;         // none: a random id from the runtime's generator
  std::vector<Endpoint> bootstrap;  // nodes known by address to join through; none for the first node
  std::optional<DhtAnnounce> announce;
  NodeConfig node;  // its `id` is replaced by the one above
  // How often timeouts, retries and bucket refresh are looked at.
  Duration tick = std::chrono::milliseconds(250);
  // BEP 5 gives announced peers no lifetime; PeerStore keeps them 30 minutes, so re-announce twice as often.
  Duration announce_every = std::chrono::minutes(15);
  // A lab's workload (labs/07-trackerless): once joined, a find_node lookup of a random id this often, the
  // first at a random point of the first period so that a crowd of nodes does not look up in step. Zero:
  // none.
  Duration lookup_every = Duration::zero();
};

// Serves KRPC on the node's datagram port; takes no TCP connections. At start it bootstraps (when given
// nodes), then announces (when asked) and again every announce_every. Status fields: node_id, table_size,
// buckets (nodes per bucket, farthest first), queries_in, responses_out, errors_out, queries_out,
// responses_in, errors_in, retries, timeouts, lookups, drops {reason: count}, torrents, joined,
// lookup_hops_median, lookup_messages_median, last_lookup {kind, target, hops, messages, found, peers,
// path [{id, distance_bits}]}: the hops of the last lookup, each with the bit length of its XOR distance to
// the target. It reports its id at each start (a `dht_started` event {node_id}). Each lab lookup
// (lookup_every) ends in a `lookup_done` event {target, hops, messages, found, seconds, closest: [id hex,
// closest first]}, which labs/launcher checks against every node's id.
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
  nlohmann::json status() const override;

  Node& node() { return node_; }
  const Node& node() const { return node_; }
  // Whether the bootstrap lookup has ended (at once for a node given no bootstrap nodes).
  bool joined() const { return joined_; }

 private:
  void announce();
  void start_lookups();
  void random_lookup();

  Runtime& runtime_;
  DhtCoreConfig config_;
  Node node_;
  bool joined_ = false;
};

}  // namespace p2p::bittorrent::dht
