// The KaZaA codec: a frame is a type byte, a u32 big-endian payload length, then the payload's fields
// (kazaa/PROTOCOL.md).
#pragma once

#include <memory>
#include <string_view>

#include "common/net/framer.h"
#include "common/util/bytes.h"
#include "common/util/expected.h"
#include "kazaa/message.h"

namespace p2p::kazaa {

// The whole frame, header included, ready for Runtime::send().
Bytes encode(const Message& message);

// Decodes one whole frame as KazaaFramer (kazaa/framer.h) cuts it. Bad input never throws: a short frame, a
// length field that disagrees with the frame, an unknown type, a field cut short, bytes after the last
// field, a string or list over its limit, a control byte in a text, or a file name that could leave a shared
// folder all decode to an Error whose reason says which.
Expected<Message> decode(ByteView frame);

// The message's name as PROTOCOL.md and the Wireshark dissector spell it ("QueryReply").
std::string_view type_name(MessageType type);

// The framer for a connection that speaks KaZaA messages, with kMaxPayload as its cap.
std::unique_ptr<Framer> make_framer();

}  // namespace p2p::kazaa
