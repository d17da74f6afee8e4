// What a node's downloads and uploads came to, as its status reports them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace p2p::transfer {

// Counts every download once, at its end: a corrupt one (all its bytes came, and their hash is not the one
// expected) is also a failed one.
struct DownloadTally {
  std::uint64_t ok = 0;
  std::uint64_t failed = 0;
  std::uint64_t corrupt = 0;
  std::uint64_t bytes = 0;  // file data received, whatever became of it

  void count(bool success) { ++(success ? ok : failed); }
  // downloads_active, downloads_ok, downloads_failed, downloads_corrupt, bytes_down.
  nlohmann::json to_json(std::size_t active) const;
};

// Counts every upload that began sending once, at its end, and every request refused before, by kind.
struct UploadTally {
  std::uint64_t ok = 0;
  std::uint64_t failed = 0;
  std::uint64_t bytes = 0;  // file data handed to the uplink
  std::map<std::string, std::uint64_t> refused;

  void count(bool success) { ++(success ? ok : failed); }
  // uploads_active, uploads_ok, uploads_failed, refused.
  nlohmann::json to_json(std::size_t active) const;
};

}  // namespace p2p::transfer
