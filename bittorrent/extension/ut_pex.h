// ut_pex (BEP 11, peer exchange): the message a peer sends to say which peers it connected to and which it
// lost since its last message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/net/endpoint.h"
#include "common/util/bytes.h"
#include "common/util/expected.h"
#include "common/util/time.h"

namespace p2p::bittorrent::extension {

// The name the extension goes by in the `m` dictionary of the extension handshake.
inline constexpr std::string_view kUtPex = "ut_pex";

// BEP 11's limits on a sender, from the convention of the Azureus and uTorrent developers that it adopts: at
// most one message a minute, with at most 50 added and 50 dropped peers.
inline constexpr Duration kPexInterval = 60s;
inline constexpr std::size_t kMaxPexPeers = 50;

// The flags of `added.f`, one byte per added peer (BEP 11, "Protocol Extension").
inline constexpr std::uint8_t kPexPrefersEncryption = 0x01;
inline constexpr std::uint8_t kPexSeed = 0x02;  // upload only
inline constexpr std::uint8_t kPexUtp = 0x04;
inline constexpr std::uint8_t kPexHolepunch = 0x08;
inline constexpr std::uint8_t kPexReachable = 0x10;  // the sender reached it by an outgoing connection

struct PexPeer {
  Endpoint endpoint;  // a dotted IPv4 address and the peer's listen port
  std::uint8_t flags = 0;
  friend bool operator==(const PexPeer&, const PexPeer&) = default;
};

struct PexMessage {
  std::vector<PexPeer> added;
  std::vector<Endpoint> dropped;
  friend bool operator==(const PexMessage&, const PexMessage&) = default;
};

// `added` and `dropped` as compact IPv4 peers (6 bytes each, as BEP 23 and BEP 5 write them) and `added.f`.
// Empty lists are still written: BEP 11's readers expect the keys.
Bytes encode_pex(const PexMessage& message);
// Refuses with a reason: a payload that is not one bencoded dictionary; `added`, `added.f` or `dropped` that
// is not a string; compact peers that are not whole 6-byte entries or hold an address or port of 0; an
// `added.f` whose length is not the number of added peers. `added6`, `dropped6` and any other key are ignored
// (p2plab's peers are IPv4). The at most 50 peers per list of BEP 11 binds the sender (PexSender); a reader
// takes what fits in the frame.
Expected<PexMessage> decode_pex(ByteView payload);

}  // namespace p2p::bittorrent::extension
