// Joining a swarm in SimNet with less than a torrent and a tracker: a leecher started from a magnet link
// fetches the metadata from the swarm (BEP 9), and one told of the seed alone finds the others by PEX (BEP
// 11).
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "bittorrent/magnet_peer.h"
#include "bittorrent/memory_storage.h"
#include "bittorrent/peer.h"
#include "bittorrent/synthetic_content.h"
#include "bittorrent/tracker.h"
#include "common/sim/sim_net.h"

namespace p2p::bittorrent {
namespace {

using sim::NodeIndex;
using sim::SimNet;

const LinkConfig kLink{2'000'000, 8'000'000, std::chrono::milliseconds(20)};

// A tracker, a seed and `leechers` leechers of a 1 MiB file with 1000 pieces (so its metadata is two
// pieces), all on the same links.
class Swarm {
 public:
  explicit Swarm(std::size_t leechers) : net_(11) {
    content_.size = 1000 * 1024;
    content_.piece_length = 1024;
    NodeIndex tracker = net_.add_node("tracker", kLink, [](Runtime& runtime) {
      TrackerConfig config;
      config.interval = std::chrono::seconds(20);
      config.registry.open = true;
      return std::make_unique<Tracker>(runtime, config);
    });
    announce_ = "http://" + net_.endpoint(tracker).str() + "/announce";
    content_.announce = announce_;
    metainfo_ = std::make_shared<const Metainfo>(*parse_metainfo(*make_synthetic_torrent(content_)));
    original_ = synthetic_bytes(content_);
    PeerConfig seed;
    seed.have = PieceSet::full(metainfo_->piece_count());
    seed_ = add_peer("seed", std::make_shared<MemoryStorage>(metainfo_->layout(), original_), seed);
    for (std::size_t i = 0; i < leechers; ++i) {
      net_.run_for(std::chrono::milliseconds(200));
      add_peer("leecher-" + std::to_string(i), std::make_shared<MemoryStorage>(metainfo_->layout()), {});
    }
  }

  // A Peer of the torrent holding what `config.have` says.
  NodeIndex add_peer(const std::string& name, std::shared_ptr<MemoryStorage> storage, PeerConfig config) {
    config.metainfo = metainfo_;
    config.storage = storage;
    return net_.add_node(name, kLink,
                         [config](Runtime& runtime) { return std::make_unique<Peer>(runtime, config); });
  }

  SimNet net_;
  SyntheticContent content_;
  std::string announce_;
  std::shared_ptr<const Metainfo> metainfo_;
  Bytes original_;
  NodeIndex seed_{};
};

TEST(TrackerlessSimTest, AMagnetStartedLeecherFetchesTheMetadataAndCompletes) {
  Swarm swarm(5);
  auto storage = std::make_shared<std::shared_ptr<MemoryStorage>>();
  MagnetPeerConfig config;
  config.link.info_hash = swarm.metainfo_->info_hash;
  config.link.trackers = {swarm.announce_};
  config.open = [storage](ByteView torrent, PeerConfig& peer) -> Status {
    auto metainfo = parse_metainfo(torrent);
    if (!metainfo) return metainfo.error();
    peer.metainfo = std::make_shared<const Metainfo>(std::move(metainfo).value());
    *storage = std::make_shared<MemoryStorage>(peer.metainfo->layout());
    peer.storage = *storage;
    return Ok{};
  };
  NodeIndex magnet = swarm.net_.add_node(
      "magnet", kLink, [config](Runtime& runtime) { return std::make_unique<MagnetPeer>(runtime, config); });

  auto& core = swarm.net_.core_as<MagnetPeer>(magnet);
  ASSERT_TRUE(swarm.net_.run_until([&] { return core.peer() != nullptr && core.peer()->complete(); },
                                   std::chrono::minutes(3)))
      << core.status().dump();
  EXPECT_EQ(core.peer()->config().metainfo->info_hash, swarm.metainfo_->info_hash);
  EXPECT_TRUE(std::ranges::equal((*storage)->content(), swarm.original_));
  EXPECT_EQ(core.status()["verified"], true);
  std::cout << "[ figures  ] magnet leecher complete at " << to_seconds(swarm.net_.now().time_since_epoch())
            << " s of virtual time\n";
}

TEST(TrackerlessSimTest, ALeecherToldOfTheSeedAloneFindsTheOthersByPex) {
  // Two newcomers join while the swarm downloads, each told of the seed alone (their tracker never
  // answers); one speaks PEX, the other has it off.
  Swarm swarm(5);
  PeerConfig config;
  config.announce_url = "http://10.255.255.1:1/announce";
  config.peers = {swarm.net_.endpoint(swarm.seed_)};
  NodeIndex newcomer =
      swarm.add_peer("newcomer", std::make_shared<MemoryStorage>(swarm.metainfo_->layout()), config);
  config.pex = false;
  NodeIndex alone =
      swarm.add_peer("alone", std::make_shared<MemoryStorage>(swarm.metainfo_->layout()), config);

  auto& peer = swarm.net_.core_as<Peer>(newcomer);
  ASSERT_TRUE(swarm.net_.run_until([&] { return peer.peers_via_pex() >= 5; }, std::chrono::seconds(30)))
      << peer.status().dump();
  EXPECT_GE(std::ranges::count_if(peer.connections(),
                                  [](const auto& entry) { return entry.second.source == PeerSource::Pex; }),
            1);
  EXPECT_EQ(swarm.net_.core_as<Peer>(alone).peers_via_pex(), 0u);
  EXPECT_EQ(swarm.net_.core_as<Peer>(alone).status()["pex_received"], 0);
}

}  // namespace
}  // namespace p2p::bittorrent
