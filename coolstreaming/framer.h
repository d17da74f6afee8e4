// CoolStreamingFramer: cuts a connection between CoolStreaming nodes into whole messages.
#pragma once

#include <cstddef>
#include <memory>

#include "common/net/framer.h"
#include "coolstreaming/message.h"

namespace p2p::coolstreaming {

// The most body bytes a frame of `type` may announce: kMaxSegmentBody for a Segment, kMaxControlBody for
// every other message. A bad peer can make a node buffer a megabyte only by sending video.
std::size_t max_body(MessageType type);

// A u8 type, a u32 big-endian body length, then the body (coolstreaming/PROTOCOL.md, "Framing"). The type
// comes first, so a stray protocol is refused at its first byte and each type has its own cap.
class CoolStreamingFramer : public Framer {
 public:
  Expected<std::size_t> next(ByteView buffered) override;
};

std::unique_ptr<Framer> make_framer();

}  // namespace p2p::coolstreaming
