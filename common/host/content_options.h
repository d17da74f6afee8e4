// The content flags every sharing node of a lab takes: the lab's catalogue, and this node's share of it.
//
// Every node of a lab is given the same catalogue and placement flags and its own --node-index, so all of
// them compute the same catalogue (names, sizes, hashes) and the same placement, without a file being
// shipped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/content/catalogue.h"
#include "common/host/cli.h"
#include "common/util/expected.h"

namespace p2p {

// A system's defaults for the flags (its labs' usual sizes).
struct ContentDefaults {
  std::size_t catalogue_files = 100;
  std::string min_file_size = "64K";
  std::string max_file_size = "1M";
  std::size_t files_per_node = 10;
};

// --catalogue-files, --catalogue-seed, --zipf-alpha, --min-file-size, --max-file-size, --files-per-node,
// --nodes, --node-index, --free-rider, --free-rider-fraction, under `caption`.
po::options_description content_options(const std::string& caption, const ContentDefaults& defaults);

// What the flags make of this node.
struct ContentShare {
  std::shared_ptr<const content::Catalogue> catalogue;  // the lab's, the same on every node
  std::vector<std::size_t> shared;  // catalogue indices this node holds (none if free rider)
  bool free_rider = false;          // by --free-rider, or drawn by the placement
};

// Every mistake comes back as one line naming the flag.
Expected<ContentShare> read_content_options(const po::variables_map& vm);

// "65536", "64K", "8M", "1G" (binary multiples) as bytes.
Expected<std::uint64_t> parse_size(std::string_view text);
// The bytes of the SIZE flag `flag` (a std::string value), or one line naming the flag.
Expected<std::uint64_t> size_flag(const po::variables_map& vm, const char* flag);

}  // namespace p2p
