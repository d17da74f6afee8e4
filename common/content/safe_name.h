// The one file-name check that every system applies to names it shares, receives or writes to disk.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/util/expected.h"

namespace p2p::content {

// Linux's NAME_MAX: a longer name cannot be a single file in a shared folder.
inline constexpr std::size_t kMaxNameBytes = 255;

// Decides whether a name that came from a peer (a Napster search result, a Gnutella QueryHit, a BitTorrent
// multi-file path component) may become one file inside a shared folder. It refuses anything that could climb
// out of the folder or name something other than a plain file there: empty, ".", "..", an absolute path, '/'
// or '\\', NUL or other control bytes, and names over kMaxNameBytes. The reason names the rule that failed.
Status check_safe_name(std::string_view name);

}  // namespace p2p::content
