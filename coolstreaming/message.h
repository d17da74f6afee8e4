// The messages p2plab's CoolStreaming speaks: one struct per message type, grouped by the DONet module that
// sends it (Zhang et al., INFOCOM 2005, "Design and Optimization of DONet"), with their limits. The bytes are
// in coolstreaming/PROTOCOL.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "common/net/endpoint.h"
#include "common/util/bytes.h"

namespace p2p::coolstreaming {

// Every frame starts with a u8 type and a u32 big-endian body length.
inline constexpr std::size_t kHeaderBytes = 5;
// A buffer map covers at most this many segments. DONet's window is 120 one-second segments (DONet, "Buffer
// Map Representation and Exchange"); 1024 leaves room for longer windows and shorter segments while bounding
// a map to 128 bitmap bytes.
inline constexpr std::size_t kMaxWindowSegments = 1024;
// A segment request or refusal lists at most one window's worth of segment ids.
inline constexpr std::size_t kMaxListedSegments = kMaxWindowSegments;
// A deputy hands out at most this many partner candidates. DONet's mCache is a partial view of O(log N)
// members; 64 is more than log2 of any audience this testbed runs.
inline constexpr std::size_t kMaxCandidates = 64;
// A segment's payload: 1 MiB is 8 Mbit/s in 1-second segments, 16 times DONet's 500 kbps (62.5 KB a segment).
inline constexpr std::size_t kMaxSegmentPayload = std::size_t{1024} * 1024;
// The longest time to live a gossiped record may claim: 5 minutes, so that a bad peer cannot plant a member
// or a departure that outlives the churn of a lab.
inline constexpr std::uint32_t kMaxGossipTtlMs = 300'000;
// The slowest stream description a rendezvous may announce: one segment per minute.
inline constexpr std::uint32_t kMaxSegmentMs = 60'000;

// Each message's type byte. The high nibble names the DONet module: 0 joining, 1 membership manager,
// 2 partnership manager, 3 scheduler and data, 4 the multicast-tree baseline.
enum class MessageType : std::uint8_t {
  Join = 0x01,
  JoinRedirect = 0x02,
  JoinRefused = 0x03,
  Candidates = 0x04,
  Membership = 0x10,
  Leave = 0x11,
  PartnerRequest = 0x20,
  PartnerAccept = 0x21,
  PartnerRefuse = 0x22,
  BufferMap = 0x30,
  SegmentRequest = 0x31,
  Segment = 0x32,
  SegmentUnavailable = 0x33,
  TreeParent = 0x40,
  TreeAttach = 0x41,
};

// The type with this byte, or nullopt for a byte no message uses.
std::optional<MessageType> message_type(std::uint8_t byte);
// "buffer map", "segment request", ...: for reasons, logs and the Wireshark dissector's names.
std::string_view type_name(MessageType type);

// Which overlay a newcomer joins: DONet's data-driven mesh, or the End-System-Multicast-like tree that the
// lab compares it with.
enum class Overlay : std::uint8_t { Mesh = 0, Tree = 1 };
// Who is joining: an ordinary peer, or the hybrid assist server announcing itself to the rendezvous.
enum class Role : std::uint8_t { Peer = 0, Server = 1 };

// What the rendezvous tells a newcomer about the live stream, so that its player runs on the source's clock:
// segment s is due `segment_ms` after segment s - 1, and `live_segment` is the newest one the source made.
struct StreamInfo {
  std::uint32_t bitrate_kbps = 500;
  std::uint32_t segment_ms = 1000;
  std::uint32_t live_segment = 0;
  bool operator==(const StreamInfo&) const = default;
};

// One member of the overlay as a deputy's mCache knows it (DONet, "Node Join and Membership Management"):
// where it listens and how many partners it has, which a newcomer uses to prefer members with room.
struct MemberEntry {
  Endpoint address;
  std::uint16_t num_partner = 0;
  bool operator==(const MemberEntry&) const = default;
};

// --- joining (DONet, "Node Join and Membership Management": a newcomer contacts the origin, which redirects
// it to a deputy chosen at random from its mCache; the deputy hands out partner candidates) ---

// Newcomer to the rendezvous (the source), then to its deputy. `attempt` counts from 1 and grows with each
// retry after a JoinRefused, so a rendezvous can count the flash crowd's retries. Upload 0 is a peer that
// will not upload (`--no-upload`): the tree never places a child under it.
struct Join {
  static constexpr MessageType kType = MessageType::Join;
  std::uint16_t listen_port = 0;
  std::uint32_t upload_kbps = 0;
  Overlay overlay = Overlay::Mesh;
  Role role = Role::Peer;
  std::uint8_t attempt = 1;
  bool operator==(const Join&) const = default;
};

// Rendezvous to newcomer: ask `deputy` for partner candidates. `assist` is the hybrid server that newcomers
// start from, or port 0 when the scenario runs without one.
struct JoinRedirect {
  static constexpr MessageType kType = MessageType::JoinRedirect;
  StreamInfo stream;
  Endpoint deputy;
  Endpoint assist;
  bool operator==(const JoinRedirect&) const = default;
};

// Rendezvous or deputy at capacity: try again after `retry_after_ms` (the flash crowd of seed 000, where over
// 25 % of newcomers had to retry).
struct JoinRefused {
  static constexpr MessageType kType = MessageType::JoinRefused;
  std::uint32_t retry_after_ms = 0;
  bool operator==(const JoinRefused&) const = default;
};

// Deputy to newcomer: members from its mCache to ask for partnership.
struct Candidates {
  static constexpr MessageType kType = MessageType::Candidates;
  std::vector<MemberEntry> members;
  bool operator==(const Candidates&) const = default;
};

// --- membership manager (DONet, "Node Join and Membership Management", after SCAMP) ---

// The gossiped `<seq_num, id, num_partner, time_to_live>`: member `id` is alive with that many partners.
// `seq` orders one member's announcements, so an older one never overwrites a newer mCache entry; `ttl_ms`
// is how long the record stays valid from its receipt, and a node passing it on sends what remains of it.
// The fields are the mCache's MemberRecord (coolstreaming/mcache.h).
struct Membership {
  static constexpr MessageType kType = MessageType::Membership;
  std::uint32_t seq = 0;
  Endpoint id;
  std::uint16_t num_partner = 0;
  std::uint32_t ttl_ms = 0;
  bool operator==(const Membership&) const = default;
};

// A departure, gossiped like a membership message: `id` has left, announced by itself or, after a timeout,
// by a partner on its behalf (DONet, "Failure Recovery and Partnership Refinement").
struct Leave {
  static constexpr MessageType kType = MessageType::Leave;
  std::uint32_t seq = 0;
  Endpoint id;
  std::uint32_t ttl_ms = 0;
  bool operator==(const Leave&) const = default;
};

// --- partnership manager (DONet, "Node Join and Membership Management" and "Failure Recovery and Partnership
// Refinement") ---

// Asks the receiver to become a partner. The dialer's own port is ephemeral, so it says where it listens;
// its upload is the scheduler's first guess of its spare bandwidth, before any segment has moved.
struct PartnerRequest {
  static constexpr MessageType kType = MessageType::PartnerRequest;
  std::uint16_t listen_port = 0;
  std::uint32_t upload_kbps = 0;
  bool operator==(const PartnerRequest&) const = default;
};

// The receiver has room for one more partner (M of them). Also the parent's yes to a TreeAttach.
struct PartnerAccept {
  static constexpr MessageType kType = MessageType::PartnerAccept;
  std::uint32_t upload_kbps = 0;
  bool operator==(const PartnerAccept&) const = default;
};

// The receiver is full; the dialer tries another candidate. Also the parent's no to a TreeAttach.
struct PartnerRefuse {
  static constexpr MessageType kType = MessageType::PartnerRefuse;
  bool operator==(const PartnerRefuse&) const = default;
};

// --- scheduler and data (DONet, "Buffer Map Representation and Exchange" and "Scheduling Algorithm") ---

// The buffer map: which segments of the window [window_start, window_start + window_length), 1 to
// kMaxWindowSegments long, the sender holds. Bit i of `bitmap`, most significant bit of each byte first, is
// segment window_start + i; the bitmap has exactly ceil(window_length / 8) bytes, padding bits zero.
// `uploading` is false for a peer that serves no requests (`--no-upload`, or its buffer runs very low: the
// rule of seed 001), so partners ask elsewhere. BufferMap::unpack (coolstreaming/buffer_map.h) turns these
// fields into a window; the Message suffix keeps the two apart.
struct BufferMapMessage {
  static constexpr MessageType kType = MessageType::BufferMap;
  std::uint32_t window_start = 0;
  std::uint16_t window_length = 0;
  bool uploading = true;
  Bytes bitmap;
  bool operator==(const BufferMapMessage&) const = default;
};

// Asks a partner (or the assist server) for these segments, most urgent first: the scheduler's requests
// (coolstreaming/scheduler.h, whose SegmentRequest is one decision) to one supplier.
struct SegmentRequestMessage {
  static constexpr MessageType kType = MessageType::SegmentRequest;
  std::vector<std::uint32_t> segments;
  bool operator==(const SegmentRequestMessage&) const = default;
};

// One segment of the stream: its id (segment s starts s * segment_ms into the stream) and its bytes.
struct Segment {
  static constexpr MessageType kType = MessageType::Segment;
  std::uint32_t segment = 0;
  Bytes payload;
  bool operator==(const Segment&) const = default;
};

// The answer to requested segments the supplier will not send (gone from its window, or it stopped
// uploading), so the requester asks another supplier at once instead of waiting for a timeout.
struct SegmentUnavailable {
  static constexpr MessageType kType = MessageType::SegmentUnavailable;
  std::vector<std::uint32_t> segments;
  bool operator==(const SegmentUnavailable&) const = default;
};

// --- the multicast-tree baseline (End-System Multicast, seed 000) ---

// Rendezvous to a newcomer or an orphan that joined with Overlay::Tree: attach under `parent`.
struct TreeParent {
  static constexpr MessageType kType = MessageType::TreeParent;
  StreamInfo stream;
  Endpoint parent;
  bool operator==(const TreeParent&) const = default;
};

// Child to its assigned parent: push me every segment from now on. The parent answers PartnerAccept or
// PartnerRefuse; the child of a refusing or departed parent joins the rendezvous again.
struct TreeAttach {
  static constexpr MessageType kType = MessageType::TreeAttach;
  std::uint16_t listen_port = 0;
  bool operator==(const TreeAttach&) const = default;
};

using Message = std::variant<Join, JoinRedirect, JoinRefused, Candidates, Membership, Leave, PartnerRequest,
                             PartnerAccept, PartnerRefuse, BufferMapMessage, SegmentRequestMessage, Segment,
                             SegmentUnavailable, TreeParent, TreeAttach>;

inline MessageType type_of(const Message& message) {
  return std::visit([](const auto& m) { return std::decay_t<decltype(m)>::kType; }, message);
}

// The largest body of a control message: a segment request listing kMaxListedSegments ids behind its count.
inline constexpr std::size_t kMaxControlBody = 2 + 4 * kMaxListedSegments;
// The largest body of a Segment: its id, then the payload.
inline constexpr std::size_t kMaxSegmentBody = 4 + kMaxSegmentPayload;

}  // namespace p2p::coolstreaming
