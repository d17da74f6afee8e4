// The OpenNap framer: a length prefix that leaves out the header it sits in.
#include "napster/framer.h"

namespace p2p::napster {

Expected<std::size_t> OpenNapFramer::next(ByteView buffered) {
  ByteReader reader(buffered);
  auto length = reader.u16le();
  if (!length || !reader.u16le()) return std::size_t{0};
  if (*length > max_payload_) return frame_over_cap("frame", *length, max_payload_);
  std::size_t total = kHeaderBytes + static_cast<std::size_t>(*length);
  return buffered.size() >= total ? total : 0;
}

}  // namespace p2p::napster
