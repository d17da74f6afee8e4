// KazaaFramer: cuts a KaZaA session (ordinary node to supernode, or supernode to supernode) into whole
// frames.
#pragma once

#include "common/net/framer.h"

namespace p2p::kazaa {

// Every frame starts with a type byte and a u32 big-endian payload length.
inline constexpr std::size_t kHeaderBytes = 5;

// p2plab's own framing (kazaa/PROTOCOL.md, "Framing"): FastTrack's was encrypted and its header order
// depended on the cipher state, which a teaching capture should not need. The length counts only the
// payload; a length over the cap closes the connection, as there is no marker to resynchronise on.
class KazaaFramer : public Framer {
 public:
  explicit KazaaFramer(std::size_t max_payload) : max_payload_(max_payload) {}
  Expected<std::size_t> next(ByteView buffered) override;

 private:
  std::size_t max_payload_;
};

}  // namespace p2p::kazaa
