// Preparing bt-peer's torrent and data from its options.
#include "bittorrent/app/peer_setup.h"

#include <fstream>
#include <iterator>

#include "bittorrent/app/disk_storage.h"
#include "bittorrent/memory_storage.h"
#include "bittorrent/tracker_client.h"

namespace p2p::bittorrent {
namespace {

Expected<Bytes> torrent_bytes(const PeerOptions& options) {
  if (options.synthetic) {
    auto torrent = make_synthetic_torrent(*options.synthetic);
    if (!torrent) return make_error("--synthetic: " + torrent.reason());
    return torrent;
  }
  std::ifstream in(options.torrent_file, std::ios::binary);
  if (!in) return make_error("--torrent: cannot read " + options.torrent_file);
  return Bytes{std::istreambuf_iterator<char>(in), {}};
}

Status save(const std::string& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) return make_error("--save-torrent: cannot write " + path);
  return Ok{};
}

// Writes the synthetic content's pieces that the storage lacks, so a seed's disk copy is a real file that
// other clients (aria2c) can also seed from.
Status write_missing_pieces(const SyntheticContent& synthetic, const Metainfo& metainfo, PeerConfig& config) {
  ContentReader read = synthetic_reader(synthetic.content_seed);
  TorrentLayout layout = metainfo.layout();
  Bytes piece;
  for (std::uint32_t i = 0; i < layout.piece_count(); ++i) {
    if (config.have.has(PieceIndex(i))) continue;
    piece.resize(layout.piece_size(PieceIndex(i)));
    (void)read(0, layout.piece_offset(PieceIndex(i)), piece);
    if (Status ok = config.storage->write_piece(PieceIndex(i), piece); !ok)
      return make_error("--data: " + ok.reason());
    config.have.insert(PieceIndex(i));
  }
  return Ok{};
}

// The storage and the verified pieces in it.
Status open_storage(const PeerOptions& options, PeerConfig& config) {
  const Metainfo& metainfo = *config.metainfo;
  if (options.in_memory) {
    config.storage = options.seeder ? std::make_shared<MemoryStorage>(metainfo.layout(),
                                                                      synthetic_bytes(*options.synthetic))
                                    : std::make_shared<MemoryStorage>(metainfo.layout());
    config.have = options.seeder ? PieceSet::full(metainfo.piece_count()) : PieceSet(metainfo.piece_count());
    return Ok{};
  }
  auto disk = DiskStorage::open(metainfo, options.data_dir);
  if (!disk) return make_error("--data: " + disk.reason());
  config.storage = std::shared_ptr<Storage>(std::move(disk).value());
  config.have = verify_pieces(*config.storage, metainfo);
  if (options.seeder && !config.have.all()) return write_missing_pieces(*options.synthetic, metainfo, config);
  return Ok{};
}

}  // namespace

Status open_torrent(const PeerOptions& options, ByteView torrent, PeerConfig& config) {
  auto metainfo = parse_metainfo(torrent);
  if (!metainfo) return make_error("--torrent: " + metainfo.reason());
  config.metainfo = std::make_shared<const Metainfo>(std::move(metainfo).value());
  if (!options.save_torrent.empty()) {
    if (Status ok = save(options.save_torrent, Bytes(torrent.begin(), torrent.end())); !ok) return ok;
  }
  const Metainfo& parsed = *config.metainfo;
  if (config.announce_url.empty() && parsed.announce.empty() && !config.dht)
    return make_error(
        "--torrent: the torrent names no tracker (no announce): give --announce URL, or --dht on "
        "to find its peers through the DHT");
  if (config.announce_url.empty() && !parsed.announce.empty()) {
    if (auto url = parse_announce_url(parsed.announce); !url)
      return make_error("--announce: " + url.reason());
  }
  // BEP 5's `nodes` join the bootstrap nodes; a host given by name would need a resolver, and is left out.
  for (const Endpoint& node : parsed.nodes) {
    if (config.dht && node.ipv4() != 0) config.dht_bootstrap.push_back(node);
  }
  if (Status ok = open_storage(options, config); !ok) return ok;
  if (options.synthetic) {
    config.check_content = [layout = config.metainfo->layout(), seed = options.synthetic->content_seed](
                               Storage& s) { return matches_synthetic(s, layout, seed); };
  }
  return Ok{};
}

Expected<PeerConfig> prepare_peer(const PeerOptions& options) {
  PeerConfig config = options.config;
  auto bytes = torrent_bytes(options);
  if (!bytes) return bytes.error();
  if (Status ok = open_torrent(options, *bytes, config); !ok) return ok.error();
  return config;
}

MagnetPeerConfig prepare_magnet_peer(const PeerOptions& options) {
  MagnetPeerConfig config;
  config.link = *options.magnet;
  config.peer = options.config;
  config.open = [options](ByteView torrent, PeerConfig& peer) {
    return open_torrent(options, torrent, peer);
  };
  return config;
}

}  // namespace p2p::bittorrent
