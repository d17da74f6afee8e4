// Transfer counts as status fields.
#include "common/transfer/tally.h"

#include <nlohmann/json.hpp>

namespace p2p::transfer {

nlohmann::json DownloadTally::to_json(std::size_t active) const {
  return {{"downloads_active", active},
          {"downloads_ok", ok},
          {"downloads_failed", failed},
          {"downloads_corrupt", corrupt},
          {"bytes_down", bytes}};
}

nlohmann::json UploadTally::to_json(std::size_t active) const {
  return {{"uploads_active", active}, {"uploads_ok", ok}, {"uploads_failed", failed}, {"refused", refused}};
}

}  // namespace p2p::transfer
