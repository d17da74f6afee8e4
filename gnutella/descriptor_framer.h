// DescriptorFramer: cuts a Gnutella 0.6 connection, after its handshake, into whole descriptors.
#pragma once

#include "common/net/framer.h"
#include "gnutella/descriptor.h"

namespace p2p::gnutella {

// A frame is the 23-byte header plus the payload length it announces at offset 19 (u32 little-endian,
// GDF Gnutella 0.6, 2.2.1). A length over the cap means the stream cannot be trusted any more, so the
// connection is closed rather than resynchronised: Gnutella has no marker to find the next header by.
class DescriptorFramer : public Framer {
 public:
  explicit DescriptorFramer(std::size_t max_payload = kMaxPayload) : max_payload_(max_payload) {}
  Expected<std::size_t> next(ByteView buffered) override;

 private:
  std::size_t max_payload_;
};

}  // namespace p2p::gnutella
