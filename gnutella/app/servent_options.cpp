// Reading the gnutella-servent flags into a ServentConfig.
#include "gnutella/app/servent_options.h"

#include <string>
#include <vector>

#include "common/host/content_options.h"

namespace p2p::gnutella {

void add_servent_options(po::options_description& options) {
  // clang-format off
  po::options_description overlay("Overlay");
  overlay.add_options()
      ("bootstrap", po::value<std::vector<std::string>>()->value_name("HOST:PORT[,...]"),
       "a servent to start from (repeatable); more are learnt from pongs and X-Try")
      ("neighbours", po::value<std::vector<std::string>>()->value_name("HOST:PORT[,...]"),
       "a fixed topology: the servents to dial and keep linked to (repeatable), each edge of the lab graph "
       "listed at one end or both; discovery is then off")
      ("degree", po::value<std::size_t>()->default_value(4), "neighbours to dial out for")
      ("max-degree", po::value<std::size_t>()->default_value(8), "neighbours to accept before answering 503");
  po::options_description queries("Queries and downloads");
  queries.add_options()
      ("ttl", po::value<unsigned>()->default_value(kDefaultTtl), "TTL of this servent's queries (1 to 15)")
      ("query-rate", po::value<double>()->default_value(0)->value_name("PER_S"),
       "workload queries per second, Zipf over the catalogue (0: none)")
      ("query-window", po::value<double>()->default_value(10)->value_name("S"),
       "seconds during which hits for a query are counted")
      ("no-query-seen", po::bool_switch(), "do not report a query_seen event per query processed")
      ("download-probability", po::value<double>()->default_value(1),
       "chance that a query's first hit for its file leads to a download");
  // clang-format on
  options.add(overlay).add(queries).add(
      content_options("Content (the same for every servent of a lab, but --node-index)",
                      {.catalogue_files = 1000, .max_file_size = "8M"}));
}

Expected<ServentConfig> read_servent_options(const po::variables_map& vm) {
  ServentConfig config;
  auto bootstrap = endpoints_flag(vm, "bootstrap");
  if (!bootstrap) return bootstrap.error();
  auto neighbours = endpoints_flag(vm, "neighbours");
  if (!neighbours) return neighbours.error();
  config.overlay.bootstrap = *bootstrap;
  config.overlay.fixed = vm.count("neighbours") > 0;
  config.overlay.neighbours = *neighbours;
  config.overlay.degree = vm["degree"].as<std::size_t>();
  config.overlay.max_degree = vm["max-degree"].as<std::size_t>();
  if (config.overlay.degree == 0) return make_error("--degree: at least 1");
  if (config.overlay.max_degree < config.overlay.degree) return make_error("--max-degree: at least --degree");

  unsigned ttl = vm["ttl"].as<unsigned>();
  if (ttl < 1 || ttl > kMaxTtl) return make_error("--ttl: expected 1 to 15");
  config.ttl = static_cast<std::uint8_t>(ttl);
  config.query_rate = vm["query-rate"].as<double>();
  if (config.query_rate < 0) return make_error("--query-rate: expected 0 or more");
  auto window = seconds_flag(vm, "query-window", 3600);
  if (!window) return window.error();
  config.query_window = *window;
  config.report_query_seen = !vm["no-query-seen"].as<bool>();
  auto download = fraction_flag(vm, "download-probability");
  if (!download) return download.error();
  config.download_probability = *download;

  auto content = read_content_options(vm);
  if (!content) return content.error();
  config.catalogue = content->catalogue;
  config.shared = content->shared;
  config.free_rider = content->free_rider;
  return config;
}

}  // namespace p2p::gnutella
