// Reading the cs-server flags into a ServerConfig.
#include "coolstreaming/app/server_options.h"

namespace p2p::coolstreaming {

void add_server_options(po::options_description& options) {
  // clang-format off
  po::options_description server("Assist server");
  server.add_options()
      ("source", po::value<std::string>()->value_name("HOST:PORT"), "the source that feeds it (required)")
      ("window", po::value<std::uint16_t>()->default_value(kDefaultWindow), "segments held (1 to 1024)")
      ("upload-kbps", po::value<std::uint32_t>(),
       "upload it serves peers within (default: --up-kbps, or 100000)");
  // clang-format on
  options.add(server);
}

Expected<ServerConfig> read_server_options(const po::variables_map& vm) {
  ServerConfig config;
  if (!vm.count("source")) return make_error("--source: required (HOST:PORT of cs-source)");
  auto source = Endpoint::parse(vm["source"].as<std::string>());
  if (!source) return make_error("--source: " + source.reason());
  config.source = *source;
  config.window = vm["window"].as<std::uint16_t>();
  if (config.window == 0 || config.window > kMaxWindowSegments) return make_error("--window: 1 to 1024");
  const auto up_kbps = vm["up-kbps"].as<std::uint64_t>();
  config.upload_kbps = vm.count("upload-kbps") ? vm["upload-kbps"].as<std::uint32_t>()
                       : up_kbps > 0           ? static_cast<std::uint32_t>(up_kbps)
                                               : 100'000;
  return config;
}

}  // namespace p2p::coolstreaming
