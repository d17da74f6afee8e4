// The CoolStreaming framer: a type byte that must be known, then a length prefix capped per type.
#include "coolstreaming/framer.h"

#include <string>

namespace p2p::coolstreaming {

std::size_t max_body(MessageType type) {
  return type == MessageType::Segment ? kMaxSegmentBody : kMaxControlBody;
}

Expected<std::size_t> CoolStreamingFramer::next(ByteView buffered) {
  ByteReader reader(buffered);
  auto type_byte = reader.u8();
  if (!type_byte) return std::size_t{0};
  auto type = message_type(*type_byte);
  if (!type) return make_error("coolstreaming: unknown message type " + std::to_string(*type_byte));
  auto length = reader.u32be();
  if (!length) return std::size_t{0};
  if (*length > max_body(*type)) {
    return frame_over_cap("coolstreaming: " + std::string(type_name(*type)) + " body", *length,
                          max_body(*type));
  }
  std::size_t total = kHeaderBytes + static_cast<std::size_t>(*length);
  return buffered.size() >= total ? total : 0;
}

std::unique_ptr<Framer> make_framer() {
  return std::make_unique<CoolStreamingFramer>();
}

}  // namespace p2p::coolstreaming
