// PeerConfig: what a BitTorrent peer is given at start: its torrent and storage, its policies and its caps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bittorrent/choker.h"
#include "bittorrent/metainfo.h"
#include "bittorrent/piece_picker.h"
#include "bittorrent/piece_set.h"
#include "bittorrent/storage.h"
#include "bittorrent/wire.h"
#include "common/net/endpoint.h"
#include "common/util/time.h"

namespace p2p::bittorrent {

struct PeerConfig {
  std::shared_ptr<const Metainfo> metainfo;  // required
  std::shared_ptr<Storage> storage;          // required; outlives restarts of the core in SimNet
  PieceSet have;             // pieces the storage already holds, verified (verify_pieces); empty means none
  std::string announce_url;  // the torrent's announce URL unless set
  PickerConfig picker;
  ChokerConfig choker;
  bool free_rider = false;            // never unchokes anyone, so never uploads
  bool super_seed = false;            // BEP 16, for a peer complete from its start (SuperSeeder)
  std::optional<Duration> seed_time;  // how long to seed after completing; nullopt: until told to leave
  std::size_t dial_peers = 30;        // connections it opens itself, from the tracker's lists
  std::size_t max_peers = 55;         // connections in all; more inbound ones are refused
  // A peer's requests waiting to be served; more are dropped. Twice our own pipeline, as libtorrent allows
  // more than it asks for, so a peer as deep as we are never reaches it.
  std::size_t max_queued_requests = 512;
  // Blocks kept requested from each unchoking peer, at least: libtorrent's min_request_queue. A deeper floor
  // queues seconds of blocks at a slow uploader (8 blocks at the 200 kb/s of one of a 1 Mb/s peer's 5
  // slots take 5 s), and a peer's last blocks wait behind them: lab 01's P2P swarm at N = 80 took 1.42x
  // its bound with 8 and 1.21x with 2 (labs/01-client-server-vs-p2p/README.md, "Where the gap went")...
  std::size_t min_pipeline = 2;
  // ...growing with its rate up to this: 4 MiB in flight, so a loopback transfer is not kept waiting for
  // requests (256 measured 15% faster than 128 for 1 seed to 1 leecher).
  std::size_t max_pipeline = 256;
  Duration pipeline_cover = std::chrono::seconds(2);  // the rate-time the pipeline covers
  // A peer that answers none of our requests for this long has them taken back and given to the others; until
  // it sends a block again it gets one request at a time (libtorrent's request_timeout and snubbing).
  Duration request_timeout = std::chrono::seconds(30);
  std::uint32_t numwant = 50;
  std::uint32_t ban_strikes = 3;  // bad pieces before a peer is banned
  Duration maintenance_period = std::chrono::seconds(1);
  Duration handshake_timeout = std::chrono::seconds(20);
  Duration keepalive_period = std::chrono::seconds(90);  // BEP 3: keep-alives "every two minutes"
  Duration idle_timeout = std::chrono::seconds(180);
  Duration redial_after = std::chrono::seconds(30);  // before dialling an address that failed again
  Duration yield_for = std::chrono::seconds(1);      // to a larger address that may dial us (DialListConfig)
  bool verify_on_complete = true;  // re-read and re-hash every piece once complete (the "verified" field)
  // An independent check of the finished file, reported as "content_ok" in the completed event (bt-peer's
  // synthetic content compares it with the generator); none: the field is left out.
  std::function<bool(Storage&)> check_content;
  // Whether status() lists every connection ("peers": who unchokes whom, for the live dashboard). A large
  // --sim swarm, which has no dashboard, leaves it out: it was 97 % of the bytes of its events.jsonl.
  bool status_connections = true;
  Duration tracker_retry = std::chrono::seconds(15);
  // BEP 11 peer exchange: tell each neighbour that speaks ut_pex whom we are connected to, and dial the peers
  // they tell us of. On by default, as in every real client; a lab turns it off to see the tracker alone.
  bool pex = true;
  // BEP 5: run a DHT node on the UDP port of the listening port's number, announce the torrent through it
  // and dial the peers it finds (--dht). Off by default: a lab has no public bootstrap node.
  bool dht = false;
  std::vector<Endpoint> dht_bootstrap;  // nodes to join through: --dht-bootstrap and the torrent's `nodes`
  // Announces (each a get_peers lookup first) this often: libtorrent's dht_announce_interval, 15 minutes.
  Duration dht_announce_every = std::chrono::minutes(15);
  // Addresses to dial from the start, beside the tracker's: a magnet link's x.pe peers, and the peers a
  // magnet peer fetched the metadata from.
  std::vector<Endpoint> peers;
  // Our peer id; none: made from the node's generator and address. A magnet peer keeps the id it announced
  // while fetching the metadata.
  std::optional<PeerId> peer_id;
};

}  // namespace p2p::bittorrent
