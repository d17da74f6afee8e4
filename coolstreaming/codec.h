// The CoolStreaming codec: a frame is a u8 type, a u32 big-endian body length, then the body, every integer
// big-endian (coolstreaming/PROTOCOL.md).
#pragma once

#include <cstddef>

#include "common/util/bytes.h"
#include "common/util/expected.h"
#include "coolstreaming/message.h"

namespace p2p::coolstreaming {

// The whole frame, header included, ready for Runtime::send(). Encoding is total: a message over a limit of
// message.h is a bug in the sender and fails an assert.
Bytes encode(const Message& message);

// Decodes one whole frame as CoolStreamingFramer (coolstreaming/framer.h) cuts it. Bad input never throws:
// a short header, an unknown type, a length field that disagrees with the frame, a body too short for its
// fields or with bytes left over, a list over its cap, a buffer map whose bitmap does not fit its window or
// whose window runs past segment 2^32 - 1, a segment payload over kMaxSegmentPayload and a field out of its
// range all decode to an Error whose reason names the message and says which.
Expected<Message> decode(ByteView frame);

// The bytes of `message` that are video: a Segment's payload, nothing for every other message. Everything
// else on the wire is control, so a node's control overhead is (frame bytes - video bytes) / video bytes.
std::size_t video_bytes(const Message& message);

}  // namespace p2p::coolstreaming
