// Reading the bt-peer flags into PeerOptions.
#include "bittorrent/app/peer_options.h"

#include <charconv>

#include "bittorrent/tracker_client.h"

namespace p2p::bittorrent {
namespace {

Expected<bool> on_off(const po::variables_map& vm, const char* flag) {
  std::string value = vm[flag].as<std::string>();
  if (value == "on") return true;
  if (value == "off") return false;
  return make_error(std::string("--") + flag + ": expected on or off, got '" + value + "'");
}

// BEP 9: a magnet link names the torrent by its info-hash; its metadata comes from the peers the link's
// trackers give (and its x.pe peers).
Status read_magnet(const std::string& uri, PeerOptions& options) {
  auto link = extension::parse_magnet(uri);
  if (!link) return make_error("--magnet: " + link.reason());
  // Without a tracker the link's peers come from the DHT (BEP 5) or its x.pe alone.
  if (link->trackers.empty() && !options.config.dht)
    return make_error("--magnet: the link names no tracker (tr=) and --dht is off");
  if (link->trackers.empty()) {
    options.magnet = std::move(link).value();
    return Ok{};
  }
  if (auto url = parse_announce_url(link->trackers.front()); !url)
    return make_error("--magnet: " + url.reason());
  options.magnet = std::move(link).value();
  return Ok{};
}

// Where the torrent comes from: a .torrent file, a magnet link, or a synthetic file described by the flags.
Status read_source(const po::variables_map& vm, PeerOptions& options) {
  if (vm.count("torrent") + vm.count("synthetic") + vm.count("magnet") != 1)
    return make_error("give exactly one of --torrent FILE, --magnet URI and --synthetic BYTES");
  if (vm.count("torrent")) {
    options.torrent_file = vm["torrent"].as<std::string>();
    return Ok{};
  }
  if (vm.count("magnet")) return read_magnet(vm["magnet"].as<std::string>(), options);
  SyntheticContent content;
  content.size = vm["synthetic"].as<std::int64_t>();
  content.name = vm["name"].as<std::string>();
  content.piece_length = vm["piece-length"].as<std::int64_t>();
  content.content_seed = vm["content-seed"].as<std::uint64_t>();
  content.announce = vm.count("announce") ? vm["announce"].as<std::string>() : "";
  if (content.size <= 0) return make_error("--synthetic: expected a size in bytes above 0");
  if (content.announce.empty() && !options.config.dht)
    return make_error("--synthetic needs --announce URL, or --dht on for a trackerless torrent");
  options.synthetic = content;
  return Ok{};
}

// The choker's regular slots: a count, or unlimited.
Status read_upload_slots(const std::string& text, ChokerConfig& choker) {
  if (text == "unlimited") {
    choker.regular_slots = kUnlimitedSlots;
    return Ok{};
  }
  std::size_t slots = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), slots);
  if (ec != std::errc{} || text.empty() || end != text.data() + text.size())
    return make_error("--upload-slots: expected a number or unlimited, got '" + text + "'");
  choker.regular_slots = slots;
  return Ok{};
}

// Mainline rechokes every 10 s and moves the optimistic unchoke every third round (30 s). A lab that
// shrinks an hour's download to seconds shrinks the rounds with it, so that tit-for-tat still gets several
// rounds to reward its uploaders before the download is over.
Status read_choke_round(double seconds, ChokerConfig& choker) {
  if (!(seconds > 0)) return make_error("--choke-round: expected a positive number of seconds");
  choker.rechoke_period = from_seconds(seconds);
  choker.optimistic_period = 3 * choker.rechoke_period;
  return Ok{};
}

Status read_policies(const po::variables_map& vm, PeerConfig& config) {
  std::string picker = vm["picker"].as<std::string>();
  if (picker == "rarest") {
    config.picker.strategy = PickStrategy::RarestFirst;
  } else if (picker == "random") {
    config.picker.strategy = PickStrategy::Random;
  } else if (picker == "sequential") {
    config.picker.strategy = PickStrategy::Sequential;
  } else {
    return make_error("--picker: expected rarest, random or sequential, got '" + picker + "'");
  }
  std::string choker = vm["choker"].as<std::string>();
  if (choker != "tft" && choker != "round_robin")
    return make_error("--choker: expected tft or round_robin, got '" + choker + "'");
  config.choker.strategy = choker == "tft" ? ChokeStrategy::TitForTat : ChokeStrategy::RoundRobin;
  auto endgame = on_off(vm, "endgame");
  if (!endgame) return endgame.error();
  config.picker.endgame = *endgame;
  auto optimistic = on_off(vm, "optimistic");
  if (!optimistic) return optimistic.error();
  config.choker.optimistic = *optimistic;
  if (Status ok = read_upload_slots(vm["upload-slots"].as<std::string>(), config.choker); !ok) return ok;
  if (Status ok = read_choke_round(vm["choke-round"].as<double>(), config.choker); !ok) return ok;
  config.free_rider = vm["free-rider"].as<bool>();
  auto super_seed = on_off(vm, "super-seed");
  if (!super_seed) return super_seed.error();
  config.super_seed = *super_seed;
  auto pex = on_off(vm, "pex");
  if (!pex) return pex.error();
  config.pex = *pex;
  double seed_time = vm["seed-time"].as<double>();
  if (seed_time >= 0) config.seed_time = from_seconds(seed_time);
  return Ok{};
}

// BEP 5: --dht, and the nodes to join through (a lab's bt-dht; there is no public bootstrap node in a lab).
Status read_dht(const po::variables_map& vm, PeerConfig& config) {
  auto dht = on_off(vm, "dht");
  if (!dht) return dht.error();
  config.dht = *dht;
  if (!vm.count("dht-bootstrap")) return Ok{};
  if (!config.dht) return make_error("--dht-bootstrap needs --dht on");
  for (const std::string& text : vm["dht-bootstrap"].as<std::vector<std::string>>()) {
    auto endpoint = Endpoint::parse(text);
    if (!endpoint || endpoint->ipv4() == 0 || endpoint->port == 0)
      return make_error("--dht-bootstrap: expected IPV4:PORT, got '" + text + "'");
    config.dht_bootstrap.push_back(*endpoint);
  }
  return Ok{};
}

Status read_caps(const po::variables_map& vm, PeerConfig& config) {
  config.max_peers = vm["max-peers"].as<std::size_t>();
  config.dial_peers = std::min(vm["dial-peers"].as<std::size_t>(), config.max_peers);
  config.max_queued_requests = vm["max-requests"].as<std::size_t>();
  config.max_pipeline = vm["pipeline"].as<std::size_t>();
  config.min_pipeline = std::min(config.min_pipeline, config.max_pipeline);
  config.numwant = vm["numwant"].as<std::uint32_t>();
  config.verify_on_complete = !vm["no-verify"].as<bool>();
  if (config.max_peers == 0) return make_error("--max-peers: at least 1");
  if (config.max_pipeline == 0) return make_error("--pipeline: at least 1");
  return Ok{};
}

Status read_data(const po::variables_map& vm, PeerOptions& options) {
  options.seeder = vm["seeder"].as<bool>();
  if (options.seeder && !options.synthetic)
    return make_error("--seeder is for --synthetic content; a --torrent seed finds its data in --data");
  std::string kind = vm["storage"].as<std::string>();
  if (kind != "disk" && kind != "memory")
    return make_error("--storage: expected disk or memory, got '" + kind + "'");
  options.in_memory = kind == "memory";
  options.data_dir = vm["data"].as<std::string>();
  return Ok{};
}

}  // namespace

void add_peer_options(po::options_description& options) {
  po::options_description torrent("Torrent");
  torrent.add_options()("torrent", po::value<std::string>()->value_name("FILE"),
                        "the .torrent to download or seed")(
      "magnet", po::value<std::string>()->value_name("URI"),
      "instead of --torrent: a magnet link 'magnet:?xt=urn:btih:HASH&tr=URL[&x.pe=IP:PORT]'; the metadata "
      "is fetched from the swarm (BEP 9), then the download runs as with --torrent")(
      "synthetic", po::value<std::int64_t>()->value_name("BYTES"),
      "instead of --torrent: a deterministic file of this size, the same for every peer given the same "
      "flags")("name", po::value<std::string>()->default_value("synthetic.bin"), "the synthetic file's name")(
      "piece-length", po::value<std::int64_t>()->default_value(256 * 1024),
      "the synthetic torrent's piece length")("content-seed", po::value<std::uint64_t>()->default_value(1),
                                              "seed of the synthetic file's bytes")(
      "announce", po::value<std::string>()->value_name("URL"),
      "the tracker (default: the torrent's announce)")(
      "save-torrent", po::value<std::string>()->value_name("FILE"), "write the torrent in use to FILE");
  po::options_description data("Data");
  data.add_options()("data", po::value<std::string>()->default_value("."), "download folder")(
      "storage", po::value<std::string>()->default_value("disk"), "disk (files in --data) or memory")(
      "seeder", po::bool_switch(), "start with the whole synthetic file (written to --data if missing)")(
      "seed-time", po::value<double>()->default_value(-1)->value_name("S"),
      "seconds to seed after completing, then leave (-1: until stopped)");
  po::options_description policy("Policies");
  policy.add_options()("picker", po::value<std::string>()->default_value("rarest"),
                       "rarest, random or sequential")(
      "endgame", po::value<std::string>()->default_value("on"), "on or off")(
      "choker", po::value<std::string>()->default_value("tft"), "tft (tit-for-tat) or round_robin")(
      "optimistic", po::value<std::string>()->default_value("on"), "the optimistic unchoke: on or off")(
      "upload-slots", po::value<std::string>()->default_value("4"),
      "regular unchoke slots: a number, or unlimited (every interested peer)")(
      "choke-round", po::value<double>()->default_value(10)->value_name("S"),
      "seconds between choking rounds; the optimistic unchoke moves every third round")(
      "free-rider", po::bool_switch(), "never unchoke anyone (download only)")(
      "super-seed", po::value<std::string>()->default_value("off"),
      "a seed offers one piece at a time, each once before any twice (BEP 16): on or off")(
      "pex", po::value<std::string>()->default_value("on"),
      "peer exchange (BEP 11): tell neighbours whom we are connected to, and dial whom they tell of: on or "
      "off")(
      "dht", po::value<std::string>()->default_value("off"),
      "run a BEP 5 DHT node on UDP at the listen port's number: announce the torrent there at start and "
      "every 15 minutes, dial the peers it finds, and exchange PORT messages; a torrent with no "
      "announce (or a magnet link with no tr=) then works: on or off")(
      "dht-bootstrap", po::value<std::vector<std::string>>()->value_name("HOST:PORT"),
      "with --dht on: join the DHT through this node, e.g. a bt-dht (repeatable; a torrent's `nodes` are "
      "added)");
  po::options_description caps("Caps");
  caps.add_options()("max-peers", po::value<std::size_t>()->default_value(55), "connections in all")(
      "dial-peers", po::value<std::size_t>()->default_value(30), "connections to open itself")(
      "max-requests", po::value<std::size_t>()->default_value(PeerConfig{}.max_queued_requests),
      "a peer's requests queued at most")("pipeline",
                                          po::value<std::size_t>()->default_value(PeerConfig{}.max_pipeline),
                                          "most blocks requested from one peer at once")(
      "numwant", po::value<std::uint32_t>()->default_value(50), "peers to ask the tracker for")(
      "no-verify", po::bool_switch(), "do not re-hash the whole download once complete");
  options.add(torrent).add(data).add(policy).add(caps);
}

Expected<PeerOptions> read_peer_options(const po::variables_map& vm) {
  PeerOptions options;
  if (Status ok = read_dht(vm, options.config); !ok) return ok.error();
  if (Status ok = read_source(vm, options); !ok) return ok.error();
  if (vm.count("save-torrent")) options.save_torrent = vm["save-torrent"].as<std::string>();
  if (vm.count("announce")) {
    options.config.announce_url = vm["announce"].as<std::string>();
    if (auto url = parse_announce_url(options.config.announce_url); !url)
      return make_error("--announce: " + url.reason());
  }
  if (Status ok = read_policies(vm, options.config); !ok) return ok.error();
  if (Status ok = read_caps(vm, options.config); !ok) return ok.error();
  if (Status ok = read_data(vm, options); !ok) return ok.error();
  return options;
}

}  // namespace p2p::bittorrent
