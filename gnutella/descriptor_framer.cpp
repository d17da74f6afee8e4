// The descriptor framer: a length read from inside the header, not a prefix.
#include "gnutella/descriptor_framer.h"

namespace p2p::gnutella {

Expected<std::size_t> DescriptorFramer::next(ByteView buffered) {
  constexpr std::size_t kLengthOffset = 19;
  if (buffered.size() < kHeaderSize) return std::size_t{0};
  ByteReader reader(buffered.subspan(kLengthOffset));
  std::uint32_t length = *reader.u32le();
  if (length > max_payload_) return frame_over_cap("descriptor payload", length, max_payload_);
  std::size_t total = kHeaderSize + static_cast<std::size_t>(length);
  return buffered.size() >= total ? total : 0;
}

}  // namespace p2p::gnutella
