// The CoolStreaming codec: each message's body written and read field by field, as coolstreaming/PROTOCOL.md
// lays it out.
#include "coolstreaming/codec.h"

#include <cassert>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace p2p::coolstreaming {
namespace {

// Bytes of the bitmap that covers `segments` segments, one bit each.
constexpr std::size_t bitmap_bytes(std::size_t segments) {
  return (segments + 7) / 8;
}

// Buffer map flag bits; every other bit is reserved and must be zero.
constexpr std::uint8_t kUploadingFlag = 0x01;

// --- writing ---

void write_endpoint(ByteWriter& w, const Endpoint& e) {
  w.u32be(e.ipv4()).u16be(e.port);
}
void write_stream(ByteWriter& w, const StreamInfo& s) {
  w.u32be(s.bitrate_kbps).u32be(s.segment_ms).u32be(s.live_segment);
}
void write_ids(ByteWriter& w, const std::vector<std::uint32_t>& ids) {
  assert(ids.size() <= kMaxListedSegments);
  w.u16be(static_cast<std::uint16_t>(ids.size()));
  for (std::uint32_t id : ids) w.u32be(id);
}

void write(ByteWriter& w, const Join& m) {
  w.u16be(m.listen_port)
      .u32be(m.upload_kbps)
      .u8(static_cast<std::uint8_t>(m.overlay))
      .u8(static_cast<std::uint8_t>(m.role))
      .u8(m.attempt);
}
void write(ByteWriter& w, const JoinRedirect& m) {
  write_stream(w, m.stream);
  write_endpoint(w, m.deputy);
  write_endpoint(w, m.assist);
}
void write(ByteWriter& w, const JoinRefused& m) {
  w.u32be(m.retry_after_ms);
}
void write(ByteWriter& w, const Candidates& m) {
  assert(m.members.size() <= kMaxCandidates);
  w.u16be(static_cast<std::uint16_t>(m.members.size()));
  for (const MemberEntry& member : m.members) {
    write_endpoint(w, member.address);
    w.u16be(member.num_partner);
  }
}
void write(ByteWriter& w, const Membership& m) {
  w.u32be(m.seq);
  write_endpoint(w, m.id);
  w.u16be(m.num_partner).u32be(m.ttl_ms);
}
void write(ByteWriter& w, const Leave& m) {
  w.u32be(m.seq);
  write_endpoint(w, m.id);
  w.u32be(m.ttl_ms);
}
void write(ByteWriter& w, const PartnerRequest& m) {
  w.u16be(m.listen_port).u32be(m.upload_kbps);
}
void write(ByteWriter& w, const PartnerAccept& m) {
  w.u32be(m.upload_kbps);
}
void write(ByteWriter&, const PartnerRefuse&) {}
void write(ByteWriter& w, const BufferMapMessage& m) {
  assert(m.window_length >= 1 && m.window_length <= kMaxWindowSegments);
  assert(m.bitmap.size() == bitmap_bytes(m.window_length));
  w.u32be(m.window_start).u16be(m.window_length).u8(m.uploading ? kUploadingFlag : 0).bytes(m.bitmap);
}
void write(ByteWriter& w, const SegmentRequestMessage& m) {
  write_ids(w, m.segments);
}
void write(ByteWriter& w, const Segment& m) {
  assert(m.payload.size() <= kMaxSegmentPayload);
  w.u32be(m.segment).bytes(m.payload);
}
void write(ByteWriter& w, const SegmentUnavailable& m) {
  write_ids(w, m.segments);
}
void write(ByteWriter& w, const TreeParent& m) {
  write_stream(w, m.stream);
  write_endpoint(w, m.parent);
}
void write(ByteWriter& w, const TreeAttach& m) {
  w.u16be(m.listen_port);
}

// --- reading ---

// Reads a body's fields in order and keeps the first error, so each reader below reads like the message's
// layout in PROTOCOL.md and checks once at the end. After an error every read returns zero.
class BodyReader {
 public:
  explicit BodyReader(ByteView body) : reader_(body) {}

  std::uint8_t u8(const char* what) { return take(reader_.u8(), what); }
  std::uint16_t u16(const char* what) { return take(reader_.u16be(), what); }
  std::uint32_t u32(const char* what) { return take(reader_.u32be(), what); }
  // A listening address: IPv4 and port. Port 0 is refused unless `port_zero_means_none`.
  Endpoint endpoint(const char* what, bool port_zero_means_none = false) {
    std::uint32_t address = u32(what);
    std::uint16_t port = u16(what);
    if (port == 0 && !port_zero_means_none) fail(std::string(what) + " has port 0");
    return Endpoint::from_ipv4(address, port);
  }
  // A list count, refused over `cap` before any entry is read.
  std::uint16_t count(const char* what, std::size_t cap) {
    std::uint16_t n = u16(what);
    if (n > cap) fail("lists " + std::to_string(n) + " " + what + ", over the cap of " + std::to_string(cap));
    return n;
  }
  // A field that must be in [min, max].
  std::uint32_t ranged(std::uint32_t value, const char* what, std::uint32_t min, std::uint32_t max) {
    if (value < min || value > max) {
      fail(std::string(what) + " " + std::to_string(value) + " is outside " + std::to_string(min) + ".." +
           std::to_string(max));
    }
    return value;
  }
  // Every byte left, consumed; nothing after an error.
  ByteView rest() { return ok() ? *reader_.bytes(reader_.remaining()) : ByteView{}; }
  std::size_t remaining() const { return reader_.remaining(); }

  bool ok() const { return !error_; }
  void fail(std::string reason) {
    if (!error_) error_ = std::move(reason);
  }
  // The message if every field was read and no byte is left over, else the first error.
  Expected<Message> finish(Message message) {
    if (ok() && !reader_.empty()) fail(std::to_string(reader_.remaining()) + " trailing bytes");
    if (!ok()) return make_error(*error_);
    return message;
  }

 private:
  template <typename T>
  T take(std::optional<T> value, const char* what) {
    if (!value) fail("truncated before " + std::string(what));
    return ok() ? *value : T{0};
  }

  ByteReader reader_;
  std::optional<std::string> error_;
};

constexpr std::uint32_t kU8 = std::numeric_limits<std::uint8_t>::max();
constexpr std::uint32_t kU32 = std::numeric_limits<std::uint32_t>::max();

StreamInfo read_stream(BodyReader& r) {
  StreamInfo s;
  s.bitrate_kbps = r.ranged(r.u32("bitrate"), "bitrate", 1, kU32);
  s.segment_ms = r.ranged(r.u32("segment length"), "segment length", 1, kMaxSegmentMs);
  s.live_segment = r.u32("live segment");
  // kbit/s times ms is bits: a stream whose segments could not fit in a Segment frame is refused here, at
  // the join, rather than at the first segment.
  std::uint64_t segment_bytes = std::uint64_t{s.bitrate_kbps} * s.segment_ms / 8;
  if (r.ok() && segment_bytes > kMaxSegmentPayload) {
    r.fail("segments of " + std::to_string(segment_bytes) + " bytes exceed the payload cap of " +
           std::to_string(kMaxSegmentPayload));
  }
  return s;
}

std::vector<std::uint32_t> read_ids(BodyReader& r) {
  std::uint16_t n = r.count("segment ids", kMaxListedSegments);
  std::vector<std::uint32_t> ids;
  for (std::uint16_t i = 0; i < n && r.ok(); ++i) ids.push_back(r.u32("a segment id"));
  return ids;
}

Expected<Message> read_join(BodyReader& r) {
  Join m;
  m.listen_port = static_cast<std::uint16_t>(r.ranged(r.u16("listen port"), "listen port", 1, 65535));
  m.upload_kbps = r.u32("upload");
  m.overlay = static_cast<Overlay>(r.ranged(r.u8("overlay"), "overlay", 0, 1));
  m.role = static_cast<Role>(r.ranged(r.u8("role"), "role", 0, 1));
  m.attempt = static_cast<std::uint8_t>(r.ranged(r.u8("attempt"), "attempt", 1, kU8));
  return r.finish(m);
}

Expected<Message> read_join_redirect(BodyReader& r) {
  JoinRedirect m;
  m.stream = read_stream(r);
  m.deputy = r.endpoint("deputy");
  m.assist = r.endpoint("assist server", true);
  return r.finish(m);
}

Expected<Message> read_candidates(BodyReader& r) {
  Candidates m;
  std::uint16_t n = r.count("candidates", kMaxCandidates);
  for (std::uint16_t i = 0; i < n && r.ok(); ++i) {
    MemberEntry member;
    member.address = r.endpoint("a candidate");
    member.num_partner = r.u16("a candidate's partner count");
    m.members.push_back(member);
  }
  return r.finish(m);
}

Expected<Message> read_membership(BodyReader& r) {
  Membership m;
  m.seq = r.u32("seq");
  m.id = r.endpoint("member id");
  m.num_partner = r.u16("partner count");
  m.ttl_ms = r.ranged(r.u32("ttl"), "ttl", 0, kMaxGossipTtlMs);
  return r.finish(m);
}

Expected<Message> read_leave(BodyReader& r) {
  Leave m;
  m.seq = r.u32("seq");
  m.id = r.endpoint("member id");
  m.ttl_ms = r.ranged(r.u32("ttl"), "ttl", 0, kMaxGossipTtlMs);
  return r.finish(m);
}

Expected<Message> read_partner_request(BodyReader& r) {
  PartnerRequest m;
  m.listen_port = static_cast<std::uint16_t>(r.ranged(r.u16("listen port"), "listen port", 1, 65535));
  m.upload_kbps = r.u32("upload");
  return r.finish(m);
}

// DONet, "Buffer Map Representation and Exchange": the map covers a sliding window of segment ids. The window
// holds at least one segment, its last segment window_start + window_length - 1 is a 32-bit id (it never
// wraps to segment 0), and the bitmap has exactly one bit per segment of it: the rules of BufferMap::unpack,
// checked here too so that a bad map is refused with the other bad frames.
Expected<Message> read_buffer_map(BodyReader& r) {
  BufferMapMessage m;
  m.window_start = r.u32("window start");
  m.window_length =
      static_cast<std::uint16_t>(r.ranged(r.u16("window length"), "window length", 1, kMaxWindowSegments));
  std::uint8_t flags = r.u8("flags");
  if (!r.ok()) return r.finish(m);
  if (std::uint64_t{m.window_start} + m.window_length - 1 > kU32) {
    r.fail("window of " + std::to_string(m.window_length) + " segments from " +
           std::to_string(m.window_start) + " runs past the last segment id");
  }
  if ((flags & ~kUploadingFlag) != 0) r.fail("reserved flag bits set: " + std::to_string(flags));
  m.uploading = (flags & kUploadingFlag) != 0;
  std::size_t needed = bitmap_bytes(m.window_length);
  if (r.ok() && r.remaining() != needed) {
    r.fail("bitmap of " + std::to_string(r.remaining()) + " bytes for a window of " +
           std::to_string(m.window_length) + " segments (needs " + std::to_string(needed) + ")");
  }
  ByteView bits = r.rest();
  m.bitmap.assign(bits.begin(), bits.end());
  // Bits past the window's end would claim segments outside it.
  std::size_t padding = needed * 8 - m.window_length;
  if (r.ok() && padding > 0 && (m.bitmap.back() & ((1u << padding) - 1)) != 0)
    r.fail("bits set past the window's end");
  return r.finish(std::move(m));
}

Expected<Message> read_segment(BodyReader& r) {
  Segment m;
  m.segment = r.u32("segment id");
  ByteView payload = r.rest();
  if (r.ok() && payload.empty()) r.fail("no payload");
  if (payload.size() > kMaxSegmentPayload) {
    r.fail("payload of " + std::to_string(payload.size()) + " bytes exceeds the cap of " +
           std::to_string(kMaxSegmentPayload));
  }
  m.payload.assign(payload.begin(), payload.end());
  return r.finish(std::move(m));
}

Expected<Message> read_body(MessageType type, BodyReader& r) {
  switch (type) {
    case MessageType::Join:
      return read_join(r);
    case MessageType::JoinRedirect:
      return read_join_redirect(r);
    case MessageType::JoinRefused:
      return r.finish(JoinRefused{r.u32("retry delay")});
    case MessageType::Candidates:
      return read_candidates(r);
    case MessageType::Membership:
      return read_membership(r);
    case MessageType::Leave:
      return read_leave(r);
    case MessageType::PartnerRequest:
      return read_partner_request(r);
    case MessageType::PartnerAccept:
      return r.finish(PartnerAccept{r.u32("upload")});
    case MessageType::PartnerRefuse:
      return r.finish(PartnerRefuse{});
    case MessageType::BufferMap:
      return read_buffer_map(r);
    case MessageType::SegmentRequest:
      return r.finish(SegmentRequestMessage{read_ids(r)});
    case MessageType::Segment:
      return read_segment(r);
    case MessageType::SegmentUnavailable:
      return r.finish(SegmentUnavailable{read_ids(r)});
    case MessageType::TreeParent: {
      TreeParent m;
      m.stream = read_stream(r);
      m.parent = r.endpoint("parent");
      return r.finish(m);
    }
    case MessageType::TreeAttach: {
      TreeAttach m;
      m.listen_port = static_cast<std::uint16_t>(r.ranged(r.u16("listen port"), "listen port", 1, 65535));
      return r.finish(m);
    }
  }
  return make_error("unreachable message type");
}

}  // namespace

Bytes encode(const Message& message) {
  ByteWriter w(kHeaderBytes + 16);
  w.u8(static_cast<std::uint8_t>(type_of(message))).u32be(0);
  std::visit([&](const auto& m) { write(w, m); }, message);
  w.patch_u32be(1, static_cast<std::uint32_t>(w.size() - kHeaderBytes));
  return w.take();
}

Expected<Message> decode(ByteView frame) {
  ByteReader header(frame);
  auto type_byte = header.u8();
  auto length = header.u32be();
  if (!type_byte || !length) {
    return make_error("coolstreaming: frame of " + std::to_string(frame.size()) +
                      " bytes is shorter than the " + std::to_string(kHeaderBytes) + "-byte header");
  }
  auto type = message_type(*type_byte);
  if (!type) return make_error("coolstreaming: unknown message type " + std::to_string(*type_byte));
  if (*length != header.remaining()) {
    return make_error("coolstreaming: " + std::string(type_name(*type)) + ": length field says " +
                      std::to_string(*length) + " bytes but the body has " +
                      std::to_string(header.remaining()));
  }
  BodyReader body(header.rest());
  auto message = read_body(*type, body);
  if (!message)
    return make_error("coolstreaming: " + std::string(type_name(*type)) + ": " + message.reason());
  return message;
}

std::size_t video_bytes(const Message& message) {
  const Segment* segment = std::get_if<Segment>(&message);
  return segment ? segment->payload.size() : 0;
}

}  // namespace p2p::coolstreaming
