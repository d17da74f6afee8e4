// The one file-name check that every system applies to names it shares, receives or writes to disk.
#include "common/content/safe_name.h"

#include <string>

namespace p2p::content {

Status check_safe_name(std::string_view name) {
  if (name.empty()) return make_error("file name is empty");
  if (name.size() > kMaxNameBytes) {
    return make_error("file name is " + std::to_string(name.size()) + " bytes, over the limit of " +
                      std::to_string(kMaxNameBytes));
  }
  if (name == "." || name == "..")
    return make_error("file name '" + std::string(name) + "' names a directory");
  // A leading '/' is caught as a separator too, but saying "absolute" tells the reader what the peer tried.
  if (name.front() == '/') return make_error("file name is an absolute path");
  for (unsigned char c : name) {
    if (c == '\0') return make_error("file name contains a NUL byte");
    if (c == '/' || c == '\\') return make_error("file name contains a path separator");
    if (c < 0x20 || c == 0x7f) return make_error("file name contains a control character");
  }
  return Ok{};
}

}  // namespace p2p::content
