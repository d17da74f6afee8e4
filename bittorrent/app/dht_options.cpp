// bt-dht's flags read into a DhtCoreConfig.
#include "bittorrent/app/dht_options.h"

#include "common/util/encoding.h"

namespace p2p::bittorrent {
namespace {

Expected<dht::NodeId> id_of_hex(const std::string& flag, const std::string& hex) {
  auto bytes = from_hex(hex);
  if (!bytes || bytes->size() != dht::kIdBytes)
    return make_error(flag + ": expected 40 hex digits, got '" + hex + "'");
  return *dht::NodeId::from_bytes(*bytes);
}

// "INFOHASH:PORT"
Expected<dht::DhtAnnounce> announce_of(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos) return make_error("--announce: expected INFOHASH:PORT, got '" + text + "'");
  auto hash = id_of_hex("--announce", text.substr(0, colon));
  if (!hash) return hash.error();
  auto port = Endpoint::parse("127.0.0.1" + text.substr(colon));
  if (!port || port->port == 0) return make_error("--announce: expected a port 1-65535 in '" + text + "'");
  return dht::DhtAnnounce{*hash, port->port};
}

}  // namespace

void add_dht_options(po::options_description& options) {
  options.add_options()("bootstrap", po::value<std::vector<std::string>>()->value_name("HOST:PORT"),
                        "join the DHT through this node (repeatable); none for the first node")(
      "id", po::value<std::string>()->value_name("HEX"), "the node id, 40 hex digits (default: random)")(
      "announce", po::value<std::string>()->value_name("INFOHASH:PORT"),
      "announce this torrent with this peer port after joining, and every 15 minutes")(
      "query-rate", po::value<double>()->default_value(100)->value_name("N"),
      "queries a second answered per source address, after a burst of twice as many (0: no limit)")(
      "lookup-every", po::value<double>()->default_value(0)->value_name("S"),
      "once joined, look up a random id every S seconds and report each as a lookup_done event (0: never)");
}

Expected<dht::DhtCoreConfig> read_dht_options(const po::variables_map& vm) {
  dht::DhtCoreConfig config;
  if (vm.count("bootstrap")) {
    for (const std::string& text : vm["bootstrap"].as<std::vector<std::string>>()) {
      auto endpoint = Endpoint::parse(text);
      if (!endpoint || endpoint->ipv4() == 0 || endpoint->port == 0)
        return make_error("--bootstrap: expected IPV4:PORT, got '" + text + "'");
      config.bootstrap.push_back(*endpoint);
    }
  }
  if (vm.count("id")) {
    auto id = id_of_hex("--id", vm["id"].as<std::string>());
    if (!id) return id.error();
    config.id = *id;
  }
  if (vm.count("announce")) {
    auto announce = announce_of(vm["announce"].as<std::string>());
    if (!announce) return announce.error();
    config.announce = *announce;
  }
  double rate = vm["query-rate"].as<double>();
  if (rate < 0 || rate > 1e9) return make_error("--query-rate: expected 0 to 1e9 queries a second");
  config.node.rate_limit.per_second = rate;
  config.node.rate_limit.burst = std::max(1.0, 2 * rate);
  double every = vm["lookup-every"].as<double>();
  if (every < 0 || every > 1e6) return make_error("--lookup-every: expected 0 to 1e6 seconds");
  config.lookup_every = from_seconds(every);
  return config;
}

}  // namespace p2p::bittorrent
