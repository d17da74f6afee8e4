// The synthetic catalogue: which files exist in a lab, their names, sizes and popularity, all from one seed.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/util/expected.h"

namespace p2p::content {

struct CatalogueConfig {
  std::size_t files = 1000;
  double zipf_alpha = 0.8;
  std::uint64_t min_size = std::uint64_t{64} * 1024;        // bytes
  std::uint64_t max_size = std::uint64_t{8} * 1024 * 1024;  // bytes
  std::string extension = "mp3";  // Napster only shares .mp3; other systems may pick another
  std::uint64_t seed = 1;
};

// Refuse catalogue sizes that would make name generation or memory use absurd.
inline constexpr std::size_t kMaxCatalogueFiles = 1'000'000;

struct FileEntry {
  std::size_t index = 0;              // position in the catalogue, the id every system's workload uses
  std::string name;                   // "blue_river_song_17.mp3": passes check_safe_name, unique
  std::uint64_t size = 0;             // bytes
  std::vector<std::string> keywords;  // the words of the name, lower case, for keyword search
  std::size_t rank = 0;               // popularity rank, 1 = most requested
  double popularity = 0;              // share of all requests, Zipf by rank; sums to 1 over the catalogue
  std::uint64_t content_id = 0;  // seeds the file's bytes (content_bytes.h), so hashes need no stored files
};

// The files of one lab. Names are three distinct words from a built-in list plus a number; sizes are
// log-uniform between min_size and max_size (many small files, a few large ones); popularity is Zipf(alpha)
// over ranks that are shuffled across files, so a file's index says nothing about how popular it is. The same
// config always yields the same catalogue.
class Catalogue {
 public:
  // Fails with a reason on a config no lab could use (zero sizes, min over max, negative alpha, too many
  // files).
  static Expected<Catalogue> generate(const CatalogueConfig& config);

  const CatalogueConfig& config() const { return config_; }
  std::size_t size() const { return files_.size(); }
  // An index from a peer must be checked against size() first; past it is a bug in the caller.
  const FileEntry& file(std::size_t index) const {
    assert(index < files_.size());
    return files_[index];
  }
  const std::vector<FileEntry>& files() const { return files_; }
  // Popularity of each file by index, as ZipfSampler and placement take it.
  std::span<const double> popularity() const { return popularity_; }
  std::optional<std::size_t> find(std::string_view name) const;

 private:
  Catalogue() = default;

  CatalogueConfig config_;
  std::vector<FileEntry> files_;
  std::vector<double> popularity_;
  std::unordered_map<std::string, std::size_t> by_name_;
};

// The built-in word list names are made from: plain lower-case English words, letters only.
std::span<const std::string_view> word_list();

}  // namespace p2p::content
