// Which shared file a servent's `GET /get/<index>/<name>` names (GDF Gnutella 0.6, 3), for the HTTP uploads
// (transfer::HttpUploads) that serve it.
#pragma once

#include <string_view>

#include "common/transfer/http_uploads.h"
#include "gnutella/shared_index.h"

namespace p2p::gnutella {

// The file, or a refusal: 400 for a target that is not /get/<index>/<name> ("bad_request") or whose name,
// %-decoded, could leave the shared folder (content::check_safe_name, "unsafe_name"); 404 for a file not
// shared under that index and name ("not_shared").
transfer::Resolved resolve_get(const SharedIndex& files, std::string_view target);

}  // namespace p2p::gnutella
