// A swarm with no tracker in SimNet (BEP 5): a bt-dht node to join through, a seed and leechers with --dht on
// whose torrent has no announce, and a magnet-link leecher whose link has no tr=. Every peer finds the others
// through the DHT alone and completes with every piece verified.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "bittorrent/dht/dht_core.h"
#include "bittorrent/magnet_peer.h"
#include "bittorrent/memory_storage.h"
#include "bittorrent/peer.h"
#include "bittorrent/synthetic_content.h"
#include "common/sim/sim_net.h"

namespace p2p::bittorrent {
namespace {

using sim::NodeIndex;
using sim::SimNet;

const LinkConfig kLink{2'000'000, 8'000'000, std::chrono::milliseconds(20)};
constexpr std::size_t kLeechers = 4;

TEST(DhtSwarmSimTest, ASwarmWithNoTrackerCompletesThroughTheDht) {
  SimNet net(17);
  NodeIndex bootstrap = net.add_node("bt-dht", kLink, [](Runtime& runtime) {
    return std::make_unique<dht::DhtCore>(runtime, dht::DhtCoreConfig{});
  });
  SyntheticContent content;  // no announce: a trackerless torrent
  content.size = 600 * 1024;
  content.piece_length = 16 * 1024;
  auto torrent = make_synthetic_torrent(content);
  ASSERT_TRUE(torrent) << torrent.reason();
  auto metainfo = std::make_shared<const Metainfo>(*parse_metainfo(*torrent));
  ASSERT_TRUE(metainfo->announce.empty());
  const Bytes original = synthetic_bytes(content);

  PeerConfig config;
  config.metainfo = metainfo;
  config.dht = true;
  config.dht_bootstrap = {net.endpoint(bootstrap)};
  std::vector<NodeIndex> peers;
  std::vector<std::shared_ptr<MemoryStorage>> storages;
  for (std::size_t i = 0; i <= kLeechers; ++i) {
    bool seed = i == 0;
    storages.push_back(seed ? std::make_shared<MemoryStorage>(metainfo->layout(), original)
                            : std::make_shared<MemoryStorage>(metainfo->layout()));
    PeerConfig peer = config;
    peer.storage = storages.back();
    if (seed) peer.have = PieceSet::full(metainfo->piece_count());
    peers.push_back(net.add_node(seed ? "seed" : "leecher-" + std::to_string(i), kLink,
                                 [peer](Runtime& runtime) { return std::make_unique<Peer>(runtime, peer); }));
    net.run_for(std::chrono::seconds(1));  // the seed has announced before the first leecher looks
  }

  // A magnet link with neither tr= nor x.pe: its metadata, too, comes from peers the DHT found.
  auto magnet_storage = std::make_shared<std::shared_ptr<MemoryStorage>>();
  MagnetPeerConfig magnet;
  magnet.link.info_hash = metainfo->info_hash;
  magnet.peer = config;
  magnet.peer.metainfo = nullptr;
  magnet.open = [magnet_storage](ByteView bytes, PeerConfig& peer) -> Status {
    auto parsed = parse_metainfo(bytes);
    if (!parsed) return parsed.error();
    peer.metainfo = std::make_shared<const Metainfo>(std::move(parsed).value());
    *magnet_storage = std::make_shared<MemoryStorage>(peer.metainfo->layout());
    peer.storage = *magnet_storage;
    return Ok{};
  };
  NodeIndex magnet_node = net.add_node(
      "magnet", kLink, [magnet](Runtime& runtime) { return std::make_unique<MagnetPeer>(runtime, magnet); });
  auto& magnet_core = net.core_as<MagnetPeer>(magnet_node);

  auto all_done = [&] {
    for (NodeIndex i : peers)
      if (!net.core_as<Peer>(i).complete()) return false;
    return magnet_core.peer() != nullptr && magnet_core.peer()->complete();
  };
  ASSERT_TRUE(net.run_until(all_done, std::chrono::minutes(3))) << magnet_core.status().dump();

  for (std::size_t i = 1; i < peers.size(); ++i) {
    const Peer& leecher = net.core_as<Peer>(peers[i]);
    EXPECT_TRUE(leecher.verified()) << i;
    EXPECT_TRUE(std::ranges::equal(storages[i]->content(), original)) << i;
    EXPECT_GE(leecher.peers_via_dht(), 1u) << i;  // no tracker, no given peers: the DHT told it of the seed
    EXPECT_GE(leecher.status()["dht_table_size"].get<int>(), 1) << i;
  }
  EXPECT_TRUE(magnet_core.peer()->verified());
  EXPECT_TRUE(std::ranges::equal((*magnet_storage)->content(), original));
  // The bt-dht node holds the torrent's peers, announced with their TCP ports.
  EXPECT_EQ(net.core_as<dht::DhtCore>(bootstrap).status()["torrents"], 1);
  std::cout << "[ figures  ] trackerless swarm complete at " << to_seconds(net.now().time_since_epoch())
            << " s of virtual time\n";
}

}  // namespace
}  // namespace p2p::bittorrent
