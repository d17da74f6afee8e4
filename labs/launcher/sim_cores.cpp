// SimCores: bt-tracker, bt-peer and bt-dht as SimNet cores.
#include "labs/launcher/sim_cores.h"

#include <filesystem>

#include "bittorrent/app/dht_options.h"
#include "bittorrent/app/peer_options.h"
#include "bittorrent/app/tracker_options.h"
#include "bittorrent/synthetic_storage.h"
#include "common/util/unsigned_options.h"

namespace p2p::labs {
namespace {

using namespace p2p::bittorrent;

// The systems --sim knows, and their programs.
const std::map<std::string, std::vector<std::string>>& sim_programs() {
  static const std::map<std::string, std::vector<std::string>> programs = {
      {"bittorrent", {"bt-tracker", "bt-peer", "bt-dht"}}};
  return programs;
}

// A program named by path in a scenario is the same program.
std::string program_name(const std::string& binary) {
  return std::filesystem::path(binary).filename().string();
}

// The args as the program's own parser reads them; a bad flag fails with the parser's reason.
Expected<po::variables_map> read_flags(const std::string& program,
                                       void (*add_options)(po::options_description&),
                                       const std::vector<std::string>& args) {
  po::options_description options;
  add_options(options);
  po::variables_map vm;
  try {
    po::parsed_options parsed = po::command_line_parser(args).options(options).run();
    if (Status checked = refuse_negative_unsigned(parsed); !checked)
      return make_error(program + ": " + checked.reason());
    po::store(parsed, vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return make_error(program + ": " + e.what());
  }
  return vm;
}

// A program's config from its args, read by its own option reader; either step's error names the program.
template <typename ReadOptions>
auto read_config(const std::string& program, void (*add_options)(po::options_description&), ReadOptions read,
                 const std::vector<std::string>& args) -> decltype(read(po::variables_map{})) {
  auto vm = read_flags(program, add_options, args);
  if (!vm) return vm.error();
  auto config = read(*vm);
  if (!config) return make_error(program + ": " + config.reason());
  return config;
}

// A core built from nothing but its program's config.
template <typename CoreT, typename ReadOptions>
Expected<sim::MakeCore> core_from_flags(const std::string& program,
                                        void (*add_options)(po::options_description&), ReadOptions read,
                                        const std::vector<std::string>& args) {
  auto config = read_config(program, add_options, read, args);
  if (!config) return config.error();
  return sim::MakeCore(
      [config = *config](Runtime& runtime) { return std::make_unique<CoreT>(runtime, config); });
}

}  // namespace

Status check_sim_support(const Scenario& scenario) {
  auto system = sim_programs().find(scenario.system);
  if (system == sim_programs().end()) {
    std::string known;
    for (const auto& [name, programs] : sim_programs()) known += (known.empty() ? "" : ", ") + name;
    return make_error("--sim: system " + scenario.system + " has no --sim support yet (only " + known + ")");
  }
  for (const RoleSpec& role : scenario.roles) {
    if (std::ranges::find(system->second, program_name(role.binary)) == system->second.end())
      return make_error("--sim: role." + role.name + ".binary " + role.binary + " has no --sim core");
  }
  return Ok{};
}

Expected<sim::MakeCore> SimCores::make(const std::string& program, const std::vector<std::string>& args) {
  std::string name = program_name(program);
  if (name == "bt-peer") return make_peer(args);
  if (name == "bt-tracker")
    return core_from_flags<Tracker>(name, add_tracker_options, read_tracker_options, args);
  // KRPC goes over SimNet's datagrams, shaped and lost as a process's UDP would be.
  if (name == "bt-dht") return core_from_flags<dht::DhtCore>(name, add_dht_options, read_dht_options, args);
  return make_error("--sim: " + program + " has no --sim core");
}

Expected<sim::MakeCore> SimCores::make_peer(const std::vector<std::string>& args) {
  auto options = read_config("bt-peer", add_peer_options, read_peer_options, args);
  if (!options) return options.error();
  if (!options->synthetic)
    return make_error("bt-peer: --sim runs synthetic content only (--synthetic BYTES)");
  auto shared = torrent(*options->synthetic);
  if (!shared) return shared.error();

  PeerConfig config = options->config;
  config.metainfo = shared->metainfo;
  auto storage = std::make_shared<SyntheticStorage>(shared->metainfo->layout(), shared->content);
  config.storage = storage;
  std::uint32_t pieces = shared->metainfo->piece_count();
  config.have = options->seeder ? PieceSet::full(pieces) : PieceSet(pieces);
  // Re-reading a storage that regenerates its bytes would prove nothing: the check of a finished file is the
  // storage's own, piece by piece as they arrived.
  config.verify_on_complete = false;
  config.check_content = [storage](Storage&) { return storage->intact(); };
  // No dashboard watches a --sim run: its status records leave out the table of every connection.
  config.status_connections = false;
  return sim::MakeCore([config](Runtime& runtime) { return std::make_unique<Peer>(runtime, config); });
}

Expected<SimCores::SharedTorrent> SimCores::torrent(const SyntheticContent& content) {
  TorrentKey key{content.name, content.size, content.piece_length, content.content_seed, content.announce};
  if (auto it = torrents_.find(key); it != torrents_.end()) return it->second;
  auto bytes = make_synthetic_torrent(content);
  if (!bytes) return make_error("bt-peer --synthetic: " + bytes.reason());
  auto metainfo = parse_metainfo(*bytes);
  if (!metainfo) return make_error("bt-peer --synthetic: " + metainfo.reason());
  SharedTorrent shared{std::make_shared<const Metainfo>(std::move(metainfo).value()),
                       std::make_shared<const Bytes>(synthetic_bytes(content))};
  torrents_.emplace(key, shared);
  return shared;
}

}  // namespace p2p::labs
