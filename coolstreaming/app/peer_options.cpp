// Reading the cs-peer flags into a PeerConfig.
#include "coolstreaming/app/peer_options.h"

namespace p2p::coolstreaming {
namespace {

Expected<SchedulerKind> scheduler_kind(const std::string& name) {
  if (name == "donet") return SchedulerKind::Donet;
  if (name == "random") return SchedulerKind::Random;
  if (name == "sequential") return SchedulerKind::Sequential;
  return make_error("--scheduler: expected donet, random or sequential");
}

}  // namespace

void add_peer_options(po::options_description& options) {
  // clang-format off
  po::options_description peer("Peer");
  peer.add_options()
      ("source", po::value<std::string>()->value_name("HOST:PORT"), "the source, the overlay's rendezvous (required)")
      ("overlay", po::value<std::string>()->default_value("mesh"),
       "mesh (DONet) or tree (the multicast-tree baseline: a parent pushes every segment)")
      ("partners", po::value<std::size_t>()->default_value(4), "M: partners to keep")
      ("max-partners", po::value<std::size_t>(),
       "partners to accept when asked (default: 2 x --partners); an uplink that feeds more whole streams accepts that many")
      ("window", po::value<std::uint16_t>()->default_value(kDefaultWindow), "segments in the buffer map (1 to 1024)")
      ("scheduler", po::value<std::string>()->default_value("donet"), "donet, random or sequential")
      ("startup-ms", po::value<std::uint32_t>()->default_value(10'000), "stream buffered before playing")
      ("play-to", po::value<std::string>()->value_name("FILE|-"), "write the played bytes here (- for stdout)")
      ("no-upload", po::bool_switch(), "serve no segment to anyone: a non-contributor")
      ("upload-kbps", po::value<std::uint32_t>(),
       "upload advertised to partners and queued within (default: --up-kbps, or 1000)");
  // clang-format on
  options.add(peer);
}

Expected<PeerOptions> read_peer_options(const po::variables_map& vm) {
  PeerOptions options;
  PeerConfig& config = options.config;
  if (!vm.count("source")) return make_error("--source: required (HOST:PORT of cs-source)");
  auto source = Endpoint::parse(vm["source"].as<std::string>());
  if (!source) return make_error("--source: " + source.reason());
  config.source = *source;
  const std::string overlay = vm["overlay"].as<std::string>();
  if (overlay != "mesh" && overlay != "tree") return make_error("--overlay: expected mesh or tree");
  config.overlay = overlay == "tree" ? Overlay::Tree : Overlay::Mesh;
  config.partnership.target = vm["partners"].as<std::size_t>();
  if (config.partnership.target == 0) return make_error("--partners: at least 1");
  config.partnership.limit =
      vm.count("max-partners") ? vm["max-partners"].as<std::size_t>() : 2 * config.partnership.target;
  if (config.partnership.limit < config.partnership.target)
    return make_error("--max-partners: at least --partners");
  config.window = vm["window"].as<std::uint16_t>();
  if (config.window == 0 || config.window > kMaxWindowSegments) return make_error("--window: 1 to 1024");
  auto kind = scheduler_kind(vm["scheduler"].as<std::string>());
  if (!kind) return kind.error();
  config.scheduler.kind = *kind;
  config.startup = milliseconds(vm["startup-ms"].as<std::uint32_t>());
  config.upload = !vm["no-upload"].as<bool>();
  const auto up_kbps = vm["up-kbps"].as<std::uint64_t>();
  config.upload_kbps = vm.count("upload-kbps") ? vm["upload-kbps"].as<std::uint32_t>()
                       : up_kbps > 0           ? static_cast<std::uint32_t>(up_kbps)
                                               : 1000;
  if (vm.count("play-to")) options.play_to = vm["play-to"].as<std::string>();
  return options;
}

}  // namespace p2p::coolstreaming
