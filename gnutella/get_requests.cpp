// The shared file a /get/ target names.
#include "gnutella/get_requests.h"

#include "common/content/safe_name.h"
#include "common/http/file_requests.h"

namespace p2p::gnutella {

transfer::Resolved resolve_get(const SharedIndex& files, std::string_view target) {
  auto get = http::parse_get_target(target);
  if (!get) return transfer::Refusal{400, "bad_request", get.reason()};
  if (Status safe = content::check_safe_name(get->name); !safe) {
    return transfer::Refusal{400, "unsafe_name", "\"" + get->name + "\": " + safe.reason()};
  }
  const content::FileEntry* file = files.find(get->index, get->name);
  if (file == nullptr) {
    return transfer::Refusal{404, "not_shared",
                             "no shared file " + std::to_string(get->index) + "/" + get->name};
  }
  return file;
}

}  // namespace p2p::gnutella
