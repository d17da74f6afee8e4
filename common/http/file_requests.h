// How a node asks another for a file over HTTP and how it is answered: the request targets that name the file
// (Gnutella's `/get/<index>/<name>`, KaZaA's `/.hash=<hex>`), the GET, the 200 and the refusals.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/http/message.h"
#include "common/net/endpoint.h"
#include "common/util/expected.h"
#include "common/util/hash.h"

namespace p2p::http {

// A Gnutella download's target (GDF Gnutella 0.6, 3): the file index from the QueryHit and the file name,
// %-decoded.
struct GetTarget {
  std::uint32_t index = 0;
  std::string name;
  bool operator==(const GetTarget&) const = default;
};

// "/get/<index>/<name>" -> {index, name}. The name is %-decoded but not judged: the uploader still checks it
// with content::check_safe_name and against its shared files, since "%2e%2e" decodes to "..".
Expected<GetTarget> parse_get_target(std::string_view target);
// The target for a file, its name %-escaped (RFC 3986 unreserved characters stay as they are).
std::string get_target(const GetTarget& file);

// A KaZaA download's target, "/.hash=<40 hex>": the file is named by its content hash alone (FastTrack's
// transfers, as the giFT-FastTrack notes describe them). Hex of either case is read; lower case is written.
Expected<Sha1Digest> parse_hash_target(std::string_view target);
std::string hash_target(const Sha1Digest& hash);

// The downloader's request: GET of `target`, to `host`, asking the uploader to close when done.
Request file_request(std::string target, const Endpoint& host, std::string_view user_agent);
// The uploader's answers: 200 with the body's length, or a refusal (400, 404, 503) with no body.
Response file_response(std::uint64_t content_length, std::string_view server);
Response refusal(int status, std::string_view server);

}  // namespace p2p::http
