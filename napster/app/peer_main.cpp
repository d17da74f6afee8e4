// napster-peer: one Napster user as a process (the Peer core on the Host, sharing a folder on disk).
#include "common/host/host.h"
#include "common/host/shared_folder.h"
#include "napster/app/disk_shared_files.h"
#include "napster/app/peer_options.h"

int main(int argc, char** argv) {
  using namespace p2p;
  NodeProgram program;
  program.name = "napster-peer";
  program.summary =
      "A Napster peer: logs in to the index server, shares its folder, searches at a Zipf-skewed rate, and "
      "downloads straight from other peers, checking each file's MD5.";
  program.add_options = napster::add_peer_options;
  program.prepare = [](const po::variables_map& vm) -> Expected<Host::MakeCore> {
    // A stable default, so a peer started again finds its folder (and its nick) again.
    std::string default_nick = vm.count("node-id")
                                   ? vm["node-id"].as<std::string>()
                                   : "peer-" + std::to_string(vm["node-index"].as<std::size_t>());
    auto options = napster::read_peer_options(vm, default_nick);
    if (!options) return options.error();
    // Lay out this node's share of the catalogue, then share whatever the folder holds.
    if (auto written = content::materialise(options->data_dir, *options->catalogue, options->shared);
        !written) {
      return make_error("--data-dir: " + written.reason());
    }
    auto files = napster::DiskSharedFiles::open(options->data_dir, options->max_download_bytes);
    if (!files) return make_error("--data-dir: " + files.reason());
    // MakeCore is a copyable std::function called once: it hands the folder over through a shared holder.
    auto folder = std::make_shared<std::unique_ptr<napster::SharedFiles>>(std::move(files).value());
    auto catalogue = options->catalogue;
    // The workload reads the catalogue, so it keeps it alive.
    std::shared_ptr<const content::QueryWorkload> workload(
        new content::QueryWorkload(*catalogue), [catalogue](const content::QueryWorkload* w) { delete w; });
    return Host::MakeCore([config = options->config, folder, workload](Runtime& runtime) {
      return std::make_unique<napster::Peer>(runtime, config, std::move(*folder), workload);
    });
  };
  return node_main(argc, argv, program);
}
