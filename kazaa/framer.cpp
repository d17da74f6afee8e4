// The KaZaA framer: a type byte, then a length prefix that leaves out the header it sits in.
#include "kazaa/framer.h"

namespace p2p::kazaa {

Expected<std::size_t> KazaaFramer::next(ByteView buffered) {
  ByteReader reader(buffered);
  if (!reader.u8()) return std::size_t{0};
  auto length = reader.u32be();
  if (!length) return std::size_t{0};
  if (*length > max_payload_) return frame_over_cap("frame", *length, max_payload_);
  std::size_t total = kHeaderBytes + static_cast<std::size_t>(*length);
  return buffered.size() >= total ? total : 0;
}

}  // namespace p2p::kazaa
