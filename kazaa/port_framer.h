// PortFramer: one listening port takes both KaZaA sessions and HTTP downloads; the first byte says which.
#pragma once

#include <memory>

#include "common/net/framer.h"

namespace p2p::kazaa {

// FastTrack served its sessions and its HTTP transfers on the same port (giFT-FastTrack notes), and so does
// p2plab's KaZaA node. An HTTP request starts with a method ("GET "), a KaZaA session with a Login frame
// (type 0x02): the first byte of an inbound connection settles, once and for all, whether it is cut into
// CRLF lines (http::kMaxLine) or into KaZaA frames (kMaxPayload).
class PortFramer : public Framer {
 public:
  Expected<std::size_t> next(ByteView buffered) override;

 private:
  std::unique_ptr<Framer> chosen_;
};

// Whether a frame cut by PortFramer is an HTTP line rather than a KaZaA frame.
bool is_http(ByteView frame);

}  // namespace p2p::kazaa
