// What a hostile client says to each kind of listener: the valid opening, a valid request, and the same
// request with its length field at its largest. Every frame comes from the project's own encoders, so an
// attack is hostile only in the way it is meant to be.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/bytes.h"
#include "common/util/expected.h"
#include "common/util/hash.h"
#include "common/util/random.h"
#include "tests/tools/hostile/socket_probe.h"

namespace p2p::hostile {

// What a target needs from the command line: the torrent a bt-peer serves (a peer closes a handshake for
// another info-hash at once); the file a napster-peer shares; the ZeroMQ socket type the hostile client of
// the launcher's endpoints plays: REQ to the command server, PUB to the node telemetry collector, SUB to the
// control and watchers' endpoints.
struct TargetConfig {
  Sha1Digest info_hash{};
  std::string file = "hostile.mp3";
  std::string socket_type = "REQ";
};

struct TargetFrames {
  SocketProbe::Kind kind = SocketProbe::Kind::Tcp;
  // The valid opening (fresh per call: a new nick or peer id); empty when the protocol has none (HTTP, KRPC).
  // A text handshake that needs the peer's answer before it is complete (Gnutella's three steps) has its
  // last step in `hello_after_reply`.
  std::function<Bytes(Rng&)> hello = [](Rng&) { return Bytes{}; };
  Bytes hello_after_reply;
  // How many bytes the listener's answer to the opening takes, where that is fixed (Napster's greeting byte,
  // ZMTP's greeting and READY): an honest client reads them all before its request.
  std::size_t hello_reply_bytes = 0;
  // One valid request of the flood; each call is fresh (a new GUID, info-hash or node id) where the
  // protocol allows.
  std::function<Bytes(Rng&)> request;
  // A valid request an honest client makes and the peer always answers (a Gnutella Ping rather than a Query
  // that may match nothing).
  std::function<Bytes(Rng&)> probe;
  // A valid request whose length field says the largest it can: 4 GiB where the field is 32 bits.
  Bytes huge_length;
  // HTTP and Napster's transfers: a server answers one request a connection, so a flood opens one connection
  // per request.
  bool one_request_per_connection = false;
};

// The target names --target accepts, in the order --help lists them.
std::vector<std::string> target_names();
Expected<TargetFrames> target_frames(std::string_view target, const TargetConfig& config);

}  // namespace p2p::hostile
