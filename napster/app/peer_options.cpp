// Reading the napster-peer flags.
#include "napster/app/peer_options.h"

#include "common/host/content_options.h"

namespace p2p::napster {
namespace {

// Every wait is somewhere between an instant and a day.
constexpr int kMaxWaitSeconds = 86400;

Status read_server_side(const po::variables_map& vm, PeerConfig& config) {
  if (!vm.count("server"))
    return make_error("--server HOST:PORT is required: where the index server listens");
  auto server = Endpoint::parse(vm["server"].as<std::string>());
  if (!server) return make_error("--server: " + server.reason());
  config.server = *server;
  config.password = vm["password"].as<std::string>();
  config.firewalled = vm["firewalled"].as<bool>();
  config.link_type = vm["link-type"].as<std::uint32_t>();
  if (config.link_type > kMaxLinkType)
    return make_error("--link-type: expected 0 to " + std::to_string(kMaxLinkType));
  auto initial = seconds_flag(vm, "backoff-initial", kMaxWaitSeconds);
  if (!initial) return initial.error();
  auto max = seconds_flag(vm, "backoff-max", kMaxWaitSeconds);
  if (!max) return max.error();
  if (*max < *initial) return make_error("--backoff-max: at least --backoff-initial");
  config.backoff.initial = *initial;
  config.backoff.max = *max;
  return Ok{};
}

Status read_workload(const po::variables_map& vm, PeerConfig& config) {
  config.query_rate = vm["query-rate"].as<double>();
  if (!(config.query_rate >= 0 && config.query_rate <= 1000))
    return make_error("--query-rate: expected 0 to 1000");
  auto download = fraction_flag(vm, "download");
  if (!download) return download.error();
  config.download_probability = *download;
  config.max_results = vm["max-results"].as<std::uint32_t>();
  if (config.max_results == 0 || config.max_results > kMaxResults) {
    return make_error("--max-results: expected 1 to " + std::to_string(kMaxResults));
  }
  auto timeout = seconds_flag(vm, "search-timeout", kMaxWaitSeconds);
  if (!timeout) return timeout.error();
  config.search_timeout = *timeout;
  config.max_downloads = vm["max-downloads"].as<std::size_t>();
  config.uploads.max_uploads = vm["max-uploads"].as<std::size_t>();
  config.share_downloads = vm["share-downloads"].as<bool>();
  return Ok{};
}

}  // namespace

void add_peer_options(po::options_description& options) {
  po::options_description server("Index server");
  server.add_options()("server", po::value<std::string>()->value_name("HOST:PORT"),
                       "the index server (required)")(
      "nick", po::value<std::string>()->value_name("NICK"),
      "nick to log in with (default: --node-id, else peer-INDEX)")(
      "password", po::value<std::string>()->default_value("p2plab"), "password sent at login")(
      "firewalled", po::bool_switch(), "log in with data port 0: others cannot download from this peer")(
      "link-type", po::value<std::uint32_t>()->default_value(8), "napster.txt link type, 0 to 10 (8: DSL)")(
      "backoff-initial", po::value<double>()->default_value(1)->value_name("S"),
      "first wait before logging in again after the server connection drops")(
      "backoff-max", po::value<double>()->default_value(30)->value_name("S"),
      "longest wait between login attempts (the waits double up to it, +/- 20 % jitter)");
  const std::string max_results = "MAX_RESULTS asked per search (1 to " + std::to_string(kMaxResults) + ")";
  po::options_description work("Searches and transfers");
  work.add_options()("query-rate", po::value<double>()->default_value(0)->value_name("PER_S"),
                     "workload searches per second, by Zipf popularity over the catalogue (0: none)")(
      "download", po::value<double>()->default_value(1)->value_name("FRACTION"),
      "fraction of answered workload searches with a usable result that lead to a download")(
      "max-results", po::value<std::uint32_t>()->default_value(20), max_results.c_str())(
      "search-timeout", po::value<double>()->default_value(10)->value_name("S"),
      "a search unanswered this long counts as failed")(
      "max-downloads", po::value<std::size_t>()->default_value(4), "downloads at once")(
      "max-uploads", po::value<std::size_t>()->default_value(8), "uploads at once; more are refused")(
      "share-downloads", po::value<bool>()->default_value(true)->implicit_value(true)->value_name("BOOL"),
      "offer verified downloads to others (--share-downloads=false keeps them unshared)")(
      "max-download-size", po::value<std::string>()->default_value("256M")->value_name("SIZE"),
      "largest file this peer will download");
  po::options_description folder("Shared folder");
  folder.add_options()("data-dir", po::value<std::string>()->value_name("DIR"),
                       "the shared folder on disk; this node's catalogue files are written there (default: "
                       "TMPDIR/p2plab-napster-NICK)");
  auto content = content_options("Catalogue (the same for every peer of a lab, but --node-index)",
                                 {.catalogue_files = 100, .max_file_size = "1M"});
  options.add(server).add(work).add(folder).add(content);
}

Expected<PeerOptions> read_peer_options(const po::variables_map& vm, const std::string& default_nick) {
  PeerOptions options;
  PeerConfig& config = options.config;
  config.nick = vm.count("nick") ? vm["nick"].as<std::string>() : default_nick;
  if (auto server = read_server_side(vm, config); !server) return server.error();
  if (auto workload = read_workload(vm, config); !workload) return workload.error();
  auto max_download = size_flag(vm, "max-download-size");
  if (!max_download) return max_download.error();
  options.max_download_bytes = *max_download;

  auto content = read_content_options(vm);
  if (!content) return content.error();
  options.catalogue = content->catalogue;
  options.shared = content->shared;
  config.free_rider = content->free_rider;

  // The nick names the default folder, so it is checked first.
  if (auto valid = validate(config); !valid) return valid.error();
  options.data_dir = vm.count("data-dir")
                         ? std::filesystem::path(vm["data-dir"].as<std::string>())
                         : std::filesystem::temp_directory_path() / ("p2plab-napster-" + config.nick);
  return options;
}

}  // namespace p2p::napster
