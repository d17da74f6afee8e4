// bt-tracker's flags read into a TrackerConfig.
#include "bittorrent/app/tracker_options.h"

#include <fstream>
#include <iterator>

#include "bittorrent/metainfo.h"
#include "common/util/encoding.h"

namespace p2p::bittorrent {
namespace {

Expected<Sha1Digest> info_hash_of_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("--torrent: cannot read " + path);
  Bytes bytes{std::istreambuf_iterator<char>(in), {}};
  auto metainfo = parse_metainfo(bytes);
  if (!metainfo) return make_error("--torrent " + path + ": " + metainfo.reason());
  return metainfo->info_hash;
}

Expected<Sha1Digest> info_hash_of_hex(const std::string& hex) {
  auto bytes = from_hex(hex);
  if (!bytes || bytes->size() != 20)
    return make_error("--info-hash: expected 40 hex digits, got '" + hex + "'");
  Sha1Digest out{};
  std::ranges::copy(*bytes, out.begin());
  return out;
}

}  // namespace

void add_tracker_options(po::options_description& options) {
  options.add_options()("torrent", po::value<std::vector<std::string>>()->value_name("FILE"),
                        "track this .torrent's info-hash (repeatable)")(
      "info-hash", po::value<std::vector<std::string>>()->value_name("HEX"),
      "track this info-hash (repeatable)")("open", po::bool_switch(),
                                           "track any info-hash announced (no whitelist)")(
      "interval", po::value<double>()->default_value(1800)->value_name("S"),
      "re-announce interval given to clients")("min-interval", po::value<double>()->value_name("S"),
                                               "minimum re-announce interval (default: half the interval)")(
      "peer-timeout", po::value<double>()->value_name("S"),
      "forget peers silent this long (default: 1.5 intervals, as opentracker)");
}

Expected<TrackerConfig> read_tracker_options(const po::variables_map& vm) {
  TrackerConfig config;
  double interval = vm["interval"].as<double>();
  if (interval < 1 || interval > 86400) return make_error("--interval: expected 1 to 86400 seconds");
  double min_interval = vm.count("min-interval") ? vm["min-interval"].as<double>() : interval / 2;
  if (min_interval < 0 || min_interval > interval)
    return make_error("--min-interval: expected 0 to --interval");
  double timeout = vm.count("peer-timeout") ? vm["peer-timeout"].as<double>() : interval * 1.5;
  if (timeout < interval) return make_error("--peer-timeout: expected at least --interval");
  config.interval = from_seconds(interval);
  config.min_interval = from_seconds(min_interval);
  config.registry.peer_timeout = from_seconds(timeout);
  config.registry.open = vm["open"].as<bool>();
  if (vm.count("torrent")) {
    for (const std::string& path : vm["torrent"].as<std::vector<std::string>>()) {
      auto hash = info_hash_of_file(path);
      if (!hash) return hash.error();
      config.torrents.push_back(*hash);
    }
  }
  if (vm.count("info-hash")) {
    for (const std::string& hex : vm["info-hash"].as<std::vector<std::string>>()) {
      auto hash = info_hash_of_hex(hex);
      if (!hash) return hash.error();
      config.torrents.push_back(*hash);
    }
  }
  if (config.torrents.empty() && !config.registry.open) {
    return make_error("nothing to track: give --torrent FILE, --info-hash HEX or --open");
  }
  return config;
}

}  // namespace p2p::bittorrent
