// Choosing between HTTP lines and KaZaA frames by the first byte of a connection.
#include "kazaa/port_framer.h"

#include "common/http/message.h"
#include "kazaa/codec.h"

namespace p2p::kazaa {
namespace {

// No KaZaA type byte is an upper-case letter (kazaa/message.h), so 'G' can only open an HTTP request.
constexpr std::uint8_t kHttpFirstByte = 'G';

}  // namespace

Expected<std::size_t> PortFramer::next(ByteView buffered) {
  if (!chosen_) {
    if (buffered.empty()) return std::size_t{0};
    if (buffered[0] == kHttpFirstByte) {
      chosen_ = std::make_unique<LineFramer>(http::kMaxLine);
    } else {
      chosen_ = make_framer();
    }
  }
  return chosen_->next(buffered);
}

bool is_http(ByteView frame) {
  return !frame.empty() && frame[0] == kHttpFirstByte;
}

}  // namespace p2p::kazaa
