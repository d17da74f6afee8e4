// NodeRunner: a BEP 5 Node on a Runtime, with its schedule: datagrams in and out, the tick, joining through
// bootstrap nodes, and announcing one torrent now and again. bt-dht (DhtCore) and bt-peer --dht run one.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "bittorrent/dht/node.h"
#include "common/node/core.h"

namespace p2p::bittorrent::dht {

// A torrent announced as held by a peer on `port` (a lab's bt-dht stands in for a peer; bt-peer names its
// own TCP port).
struct DhtAnnounce {
  NodeId info_hash;
  std::uint16_t port = 0;
  friend bool operator==(const DhtAnnounce&, const DhtAnnounce&) = default;
};

struct NodeRunnerConfig {
  std::optional<NodeId> id;         // none: a random id from the runtime's generator
  std::vector<Endpoint> bootstrap;  // nodes known by address to join through; none for the first node
  std::optional<DhtAnnounce> announce;
  NodeConfig node;  // its `id` is replaced by the one above
  // How often timeouts, retries and bucket refresh are looked at.
  Duration tick = std::chrono::milliseconds(250);
  // BEP 5 gives announced peers no lifetime and a client no announce period; PeerStore keeps them 30
  // minutes, and libtorrent re-announces every 15 (its dht_announce_interval): so do we.
  Duration announce_every = std::chrono::minutes(15);
  // A lab's workload (labs/07-trackerless): once joined, a find_node lookup of a random id this often, each
  // reported as a lookup_done event, the first at a random point of the first period so that a crowd of
  // nodes does not look up in step. Zero: none.
  Duration lookup_every = Duration::zero();
};

// start() starts the tick and, when given bootstrap nodes, joins through them (a find_node lookup of the
// own id); once joined, and every announce_every, it announces the torrent: a get_peers lookup, whose
// `values` go to the peers callback, then announce_peer to the closest nodes that gave a token. A node whose
// table holds no node to ask by then (all bad, or none) joins again first.
class NodeRunner {
 public:
  using OnPeers = std::function<void(const std::vector<Endpoint>&)>;

  NodeRunner(Runtime& runtime, NodeRunnerConfig config);

  // A second call does nothing: the node of a magnet peer carries on under the Peer it becomes.
  void start();
  void on_datagram(const Endpoint& from, ByteView bytes) { node_.on_datagram(from, bytes, runtime_.now()); }
  // Where the peers each announce finds go from now on (none: nowhere).
  void on_peers(OnPeers on_peers) { on_peers_ = std::move(on_peers); }
  // Pings a node known by address only (a peer's PORT message); it joins the table if it answers.
  void ping(const Endpoint& node) { node_.ping(node, runtime_.now()); }

  Node& node() { return node_; }
  const Node& node() const { return node_; }
  // Whether the bootstrap lookup has ended (at once for a node given no bootstrap nodes).
  bool joined() const { return joined_; }

 private:
  void join();
  void on_joined();
  void announce();
  void start_lookups();
  void random_lookup();

  Runtime& runtime_;
  NodeRunnerConfig config_;
  Node node_;
  OnPeers on_peers_;
  bool started_ = false;
  bool joined_ = false;
};

}  // namespace p2p::bittorrent::dht
