// Reading the kazaa-node flags into a NodeConfig.
#include "kazaa/app/node_options.h"

#include <string>
#include <vector>

#include "common/host/content_options.h"

namespace p2p::kazaa {

void add_kazaa_options(po::options_description& options) {
  SupernodeConfig super;
  QueryDriverConfig query;
  ElectionConfig election;
  // clang-format off
  po::options_description roles("Role and supernodes");
  roles.add_options()
      ("role", po::value<std::string>()->default_value("ordinary")->value_name("ordinary|super|auto"),
       "ordinary: attach to a supernode; super: take children and link to other supernodes; auto: start "
       "ordinary and let the election promote (and demote) the node")
      ("bootstrap", po::value<std::vector<std::string>>()->value_name("HOST:PORT[,...]"),
       "supernodes this node knows at start (repeatable): the shipped list an ordinary node joins from, "
       "the other supernodes a supernode links to")
      ("max-children", po::value<std::size_t>()->default_value(super.max_children),
       "children a supernode takes before refusing with others to try (measured: 100 to 160)")
      ("sn-neighbours", po::value<std::size_t>()->default_value(super.sn_neighbours),
       "other supernodes a supernode links to. Measured: 20-40 among 20-40 thousand (0.1 %); a lab has a "
       "handful to a few tens, so the default is 8: two search rounds of --indirect 6 ask them all")
      ("children-per-super", po::value<std::size_t>()->default_value(election.children_per_super),
       "--role auto: the ordinary nodes per supernode the election aims at");
  po::options_description searches("Searches and downloads");
  searches.add_options()
      ("want", po::value<std::size_t>()->default_value(query.want),
       "matches after which a supernode stops asking other supernodes (1 to 200)")
      ("indirect", po::value<std::size_t>()->default_value(query.indirect),
       "supernodes asked per search round (FastTrack: 6 to 10)")
      ("query-rate", po::value<double>()->default_value(0)->value_name("PER_S"),
       "workload searches per second, Zipf over the catalogue (0: none)")
      ("download-probability", po::value<double>()->default_value(1),
       "chance that a search's first result for its file leads to a download");
  // clang-format on
  options.add(roles).add(searches).add(
      content_options("Content (the same for every node of a lab, but --node-index)",
                      {.catalogue_files = 1000, .max_file_size = "8M"}));
}

Expected<NodeConfig> read_kazaa_options(const po::variables_map& vm) {
  NodeConfig config;
  std::string role = vm["role"].as<std::string>();
  if (role == "super") {
    config.role = Role::Super;
  } else if (role == "auto") {
    config.auto_role = true;
  } else if (role != "ordinary") {
    return make_error("--role: expected ordinary, super or auto, not '" + role + "'");
  }
  auto bootstrap = endpoints_flag(vm, "bootstrap");
  if (!bootstrap) return bootstrap.error();
  for (const Endpoint& address : *bootstrap) {
    config.ordinary.bootstrap.push_back({address, 0, 0});
    config.super.bootstrap.push_back({address, 0, 0});
  }
  config.super.max_children = vm["max-children"].as<std::size_t>();
  if (config.super.max_children == 0) return make_error("--max-children: at least 1");
  config.super.sn_neighbours = vm["sn-neighbours"].as<std::size_t>();
  if (config.super.sn_neighbours == 0) return make_error("--sn-neighbours: at least 1");
  config.election.children_per_super = vm["children-per-super"].as<std::size_t>();
  if (config.election.children_per_super == 0) return make_error("--children-per-super: at least 1");

  config.super.query.want = vm["want"].as<std::size_t>();
  if (config.super.query.want == 0 || config.super.query.want > kSearchResultsMax)
    return make_error("--want: expected 1 to 200");
  config.super.query.indirect = vm["indirect"].as<std::size_t>();
  if (config.super.query.indirect == 0 || config.super.query.indirect > kMaxSupernodeEntries)
    return make_error("--indirect: expected 1 to 200");
  config.ordinary.query_rate = vm["query-rate"].as<double>();
  if (config.ordinary.query_rate < 0) return make_error("--query-rate: expected 0 or more");
  auto download = fraction_flag(vm, "download-probability");
  if (!download) return download.error();
  config.ordinary.download_probability = *download;

  // The login names the node as telemetry does (cut to a user name's limit), and offers its uplink.
  if (vm.count("node-id"))
    config.login.user_name = vm["node-id"].as<std::string>().substr(0, kMaxUserNameBytes);
  if (vm.count("up-kbps")) {
    std::uint64_t kbps = vm["up-kbps"].as<std::uint64_t>();
    config.upload_bps = kbps * 1000;
    config.login.upload_kbps = static_cast<std::uint32_t>(std::min<std::uint64_t>(kbps, UINT32_MAX));
  }

  auto content = read_content_options(vm);
  if (!content) return content.error();
  config.catalogue = content->catalogue;
  config.shared = content->shared;
  config.free_rider = content->free_rider;
  return config;
}

}  // namespace p2p::kazaa
