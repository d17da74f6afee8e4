// Reading the content flags into the lab's catalogue and this node's share of it.
#include "common/host/content_options.h"

#include <cctype>
#include <charconv>

#include "common/content/placement.h"

namespace p2p {
namespace {

Expected<content::Catalogue> read_catalogue(const po::variables_map& vm) {
  content::CatalogueConfig catalogue;
  catalogue.files = vm["catalogue-files"].as<std::size_t>();
  catalogue.seed = vm["catalogue-seed"].as<std::uint64_t>();
  catalogue.zipf_alpha = vm["zipf-alpha"].as<double>();
  auto min_size = size_flag(vm, "min-file-size");
  if (!min_size) return min_size.error();
  auto max_size = size_flag(vm, "max-file-size");
  if (!max_size) return max_size.error();
  catalogue.min_size = *min_size;
  catalogue.max_size = *max_size;
  if (catalogue.files == 0) return make_error("--catalogue-files: at least 1");
  if (catalogue.max_size < catalogue.min_size) return make_error("--max-file-size: at least --min-file-size");
  auto generated = content::Catalogue::generate(catalogue);
  if (!generated) return make_error("catalogue: " + generated.reason());
  return generated;
}

}  // namespace

po::options_description content_options(const std::string& caption, const ContentDefaults& defaults) {
  po::options_description content(caption);
  // clang-format off
  content.add_options()
      ("catalogue-files", po::value<std::size_t>()->default_value(defaults.catalogue_files),
       "files in the lab's catalogue")
      ("catalogue-seed", po::value<std::uint64_t>()->default_value(1), "seed of the catalogue and the placement")
      ("zipf-alpha", po::value<double>()->default_value(0.8, "0.8"), "Zipf exponent of file popularity")
      ("min-file-size", po::value<std::string>()->default_value(defaults.min_file_size)->value_name("SIZE"),
       "smallest catalogue file (65536, 64K, 8M, 1G)")
      ("max-file-size", po::value<std::string>()->default_value(defaults.max_file_size)->value_name("SIZE"),
       "largest catalogue file (sizes are log-uniform in between)")
      ("files-per-node", po::value<std::size_t>()->default_value(defaults.files_per_node),
       "mean files a sharing node holds")
      ("nodes", po::value<std::size_t>()->default_value(1), "nodes in the lab, for the placement")
      ("node-index", po::value<std::size_t>()->default_value(0), "this node's index among them")
      ("free-rider", po::bool_switch(), "share nothing, whatever the placement says")
      ("free-rider-fraction", po::value<double>()->default_value(0),
       "fraction of the lab's nodes that the placement makes free riders");
  // clang-format on
  return content;
}

Expected<ContentShare> read_content_options(const po::variables_map& vm) {
  auto catalogue = read_catalogue(vm);
  if (!catalogue) return catalogue.error();
  ContentShare share;
  share.catalogue = std::make_shared<const content::Catalogue>(std::move(catalogue).value());

  content::PlacementConfig placement;
  placement.nodes = vm["nodes"].as<std::size_t>();
  placement.files_per_node = vm["files-per-node"].as<std::size_t>();
  placement.seed = vm["catalogue-seed"].as<std::uint64_t>();
  std::size_t index = vm["node-index"].as<std::size_t>();
  if (placement.nodes == 0) return make_error("--nodes: at least 1");
  if (index >= placement.nodes) return make_error("--node-index: must be below --nodes");
  auto free_riders = fraction_flag(vm, "free-rider-fraction");
  if (!free_riders) return free_riders.error();
  placement.free_rider_fraction = *free_riders;
  auto placed = content::place_replicas(*share.catalogue, placement);
  if (!placed) return make_error("placement: " + placed.reason());
  share.free_rider = vm["free-rider"].as<bool>() || placed->free_rider[index];
  if (!share.free_rider) share.shared = placed->shared[index];
  return share;
}

Expected<std::uint64_t> parse_size(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  std::string_view unit = text.substr(static_cast<std::size_t>(end - text.data()));
  if (ec != std::errc{} || end == text.data())
    return make_error("expected a size such as 65536, 64K, 8M or 1G");
  int shift = 0;
  if (unit.size() == 1) {
    switch (std::toupper(static_cast<unsigned char>(unit[0]))) {
      case 'K':
        shift = 10;
        break;
      case 'M':
        shift = 20;
        break;
      case 'G':
        shift = 30;
        break;
      default:
        return make_error("unknown size unit '" + std::string(unit) + "' (K, M or G)");
    }
  } else if (!unit.empty()) {
    return make_error("unknown size unit '" + std::string(unit) + "' (K, M or G)");
  }
  if (value > (std::uint64_t{1} << 40) >> shift) return make_error("size over 1 TiB");
  return value << shift;
}

Expected<std::uint64_t> size_flag(const po::variables_map& vm, const char* flag) {
  auto bytes = parse_size(vm[flag].as<std::string>());
  if (!bytes) return make_error("--" + std::string(flag) + ": " + bytes.reason());
  return bytes;
}

}  // namespace p2p
