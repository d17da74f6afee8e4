// The OpenNap codec: a frame is u16 LE payload length, u16 LE type, then the ASCII payload (napster.txt
// section 1).
#pragma once

#include <memory>

#include "common/net/framer.h"
#include "common/util/bytes.h"
#include "common/util/expected.h"
#include "napster/message.h"

namespace p2p::napster {

// The whole frame, header included, ready for Runtime::send().
Bytes encode(const Message& message);
// The same frame appended to `out`, for replies of many messages in one send (a search's results).
void encode_to(Bytes& out, const Message& message);

// Decodes one whole frame as OpenNapFramer (napster/framer.h) cuts it. Bad input never throws: a short or
// oversize frame, a length field that disagrees with the frame, a payload byte outside printable ASCII, an
// unknown type, a missing or non-numeric field, a broken quote or a trailing field all decode to an Error
// whose reason says which.
Expected<Message> decode(ByteView frame);

// The framer for a connection that speaks OpenNap messages, with kMaxPayload as its cap.
std::unique_ptr<Framer> make_framer();

}  // namespace p2p::napster
