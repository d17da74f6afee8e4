// Encoding and strict decoding of Gnutella 0.6 descriptors (GDF Gnutella 0.6, 2.2).
#include "gnutella/descriptor.h"

#include "common/util/encoding.h"

#include <algorithm>
#include <cassert>
#include <iterator>
#include <optional>

namespace p2p::gnutella {
namespace {

constexpr std::size_t kPongSize = 14;      // port 2, IP 4, files 4, kilobytes 4
constexpr std::size_t kPushSize = 26;      // servent id 16, index 4, IP 4, port 2
constexpr std::size_t kQhdMinimum = 5;     // vendor code 4, open data size 1
constexpr std::uint8_t kGgepMagic = 0xc3;  // the first byte of every GGEP block (GDF Gnutella 0.6, 2.3.1)

std::string hex_byte(std::uint8_t value) {
  return "0x" + p2p::to_hex(ByteView(&value, 1));
}

std::optional<PayloadType> known_type(std::uint8_t value) {
  switch (static_cast<PayloadType>(value)) {
    case PayloadType::Ping:
    case PayloadType::Pong:
    case PayloadType::Bye:
    case PayloadType::Push:
    case PayloadType::Query:
    case PayloadType::QueryHit:
      return static_cast<PayloadType>(value);
  }
  return std::nullopt;
}

Guid read_guid(ByteView bytes) {
  Guid guid{};
  std::copy(bytes.begin(), bytes.end(), guid.begin());
  return guid;
}

Status expect_size(std::size_t actual, std::size_t expected) {
  if (actual == expected) return Ok{};
  return make_error("payload must be " + std::to_string(expected) + " bytes, got " + std::to_string(actual));
}

// The QHD block between the results and the servent id is a vendor's business, but when present it must at
// least hold its vendor code and an open-data size that fits, or the hit count and the bytes disagree.
Status check_qhd(ByteView qhd) {
  if (qhd.empty()) return Ok{};
  if (qhd.size() < kQhdMinimum) {
    return make_error("a " + std::to_string(qhd.size()) +
                      "-byte block between the results and the servent id " +
                      "is too short for a QHD (hit count and results disagree?)");
  }
  if (qhd[4] > qhd.size() - kQhdMinimum) {
    return make_error("QHD open data size " + std::to_string(qhd[4]) + " overruns the block");
  }
  return Ok{};
}

// ---- decoding: each reads the whole payload and leaves nothing unexplained ----

// The rest of a Ping or a Pong: nothing, or a GGEP extension block, which newer servents add (GDF Gnutella
// 0.6, 2.2.2 and 2.2.3). It is kept as it came, not parsed: this servent uses none of its extensions, and
// a cached Pong passes them on unchanged.
Expected<Bytes> read_ggep_block(ByteReader& in, std::string_view what) {
  ByteView rest = in.rest();
  if (!rest.empty() && rest[0] != kGgepMagic) {
    return make_error(std::string(what) + " is not a GGEP block (it begins " + hex_byte(rest[0]) +
                      ", not 0xc3)");
  }
  return Bytes(rest.begin(), rest.end());
}

Expected<Payload> decode_ping(ByteReader& in) {
  auto extensions = read_ggep_block(in, "the payload");
  if (!extensions) return extensions.error();
  return Payload{Ping{std::move(*extensions)}};
}

Expected<Payload> decode_pong(ByteReader& in) {
  if (in.remaining() < kPongSize) {
    return make_error("payload must be at least " + std::to_string(kPongSize) + " bytes, got " +
                      std::to_string(in.remaining()));
  }
  Pong pong;
  pong.port = *in.u16le();
  pong.ip = *in.u32be();
  pong.files = *in.u32le();
  pong.kilobytes = *in.u32le();
  auto extensions = read_ggep_block(in, "what follows the address and counts");
  if (!extensions) return extensions.error();
  pong.extensions = std::move(*extensions);
  return Payload{pong};
}

Expected<Payload> decode_push(ByteReader& in) {
  if (Status size = expect_size(in.remaining(), kPushSize); !size) return size.error();
  Push push;
  push.servent_id = read_guid(*in.bytes(16));
  push.file_index = *in.u32le();
  push.ip = *in.u32be();
  push.port = *in.u16le();
  return Payload{push};
}

Expected<Payload> decode_bye(ByteReader& in) {
  Bye bye;
  auto code = in.u16le();
  if (!code) return make_error("payload too short for the 2-byte code");
  bye.code = *code;
  auto message = in.until(0);
  if (!message) return make_error("message is not NUL-terminated");
  if (!in.empty()) return make_error(std::to_string(in.remaining()) + " bytes after the message's NUL");
  bye.message = std::string(as_chars(*message));
  return Payload{bye};
}

Expected<Payload> decode_query(ByteReader& in) {
  Query query;
  auto speed = in.u16le();
  if (!speed) return make_error("payload too short for the 2-byte minimum speed");
  query.min_speed = *speed;
  auto search = in.until(0);
  if (!search) return make_error("search string is not NUL-terminated");
  query.search = std::string(as_chars(*search));
  ByteView extensions = in.rest();
  query.extensions.assign(extensions.begin(), extensions.end());
  return Payload{query};
}

Expected<QueryHitResult> decode_result(ByteReader& in, std::size_t number, std::size_t count) {
  QueryHitResult result;
  auto index = in.u32le();
  auto size = in.u32le();
  if (!index || !size) {
    return make_error("hit count says " + std::to_string(count) + " results but the payload ends in result " +
                      std::to_string(number + 1));
  }
  result.index = *index;
  result.size = *size;
  auto name = in.until(0);
  if (!name) return make_error("result " + std::to_string(number + 1) + ": file name is not NUL-terminated");
  auto extensions = in.until(0);
  if (!extensions)
    return make_error("result " + std::to_string(number + 1) + ": extensions are not NUL-terminated");
  result.name = std::string(as_chars(*name));
  result.extensions.assign(extensions->begin(), extensions->end());
  return result;
}

Expected<Payload> decode_query_hit(ByteReader& in) {
  QueryHit hit;
  auto count = in.u8();
  auto port = in.u16le();
  auto ip = in.u32be();
  auto speed = in.u32le();
  if (!count || !port || !ip || !speed) return make_error("payload too short for the 11-byte hit preamble");
  if (*count == 0) return make_error("hit count is 0");
  hit.port = *port;
  hit.ip = *ip;
  hit.speed = *speed;
  for (std::size_t i = 0; i < *count; ++i) {
    auto result = decode_result(in, i, *count);
    if (!result) return result.error();
    hit.results.push_back(std::move(*result));
  }
  if (in.remaining() < hit.servent_id.size()) {
    return make_error("no room for the 16-byte servent id after " + std::to_string(*count) + " results");
  }
  ByteView qhd = *in.bytes(in.remaining() - hit.servent_id.size());
  if (Status ok = check_qhd(qhd); !ok) return ok.error();
  hit.qhd.assign(qhd.begin(), qhd.end());
  hit.servent_id = read_guid(in.rest());
  return Payload{hit};
}

Expected<Payload> decode_payload(PayloadType type, ByteReader& in) {
  switch (type) {
    case PayloadType::Ping:
      return decode_ping(in);
    case PayloadType::Pong:
      return decode_pong(in);
    case PayloadType::Bye:
      return decode_bye(in);
    case PayloadType::Push:
      return decode_push(in);
    case PayloadType::Query:
      return decode_query(in);
    case PayloadType::QueryHit:
      return decode_query_hit(in);
  }
  return make_error("unknown payload type");
}

// ---- encoding ----

Status write_terminated(ByteWriter& out, ByteView text, const char* what) {
  if (std::find(text.begin(), text.end(), 0) != text.end()) {
    return make_error(std::string(what) + " contains a NUL byte");
  }
  out.bytes(text).u8(0);
  return Ok{};
}

Status write_payload(ByteWriter& out, const Ping& ping) {
  out.bytes(ping.extensions);
  return Ok{};
}

Status write_payload(ByteWriter& out, const Pong& pong) {
  out.u16le(pong.port).u32be(pong.ip).u32le(pong.files).u32le(pong.kilobytes).bytes(pong.extensions);
  return Ok{};
}

Status write_payload(ByteWriter& out, const Bye& bye) {
  out.u16le(bye.code);
  return write_terminated(out, as_bytes(bye.message), "message");
}

Status write_payload(ByteWriter& out, const Push& push) {
  out.bytes(push.servent_id).u32le(push.file_index).u32be(push.ip).u16le(push.port);
  return Ok{};
}

Status write_payload(ByteWriter& out, const Query& query) {
  out.u16le(query.min_speed);
  if (Status ok = write_terminated(out, as_bytes(query.search), "search string"); !ok) return ok;
  out.bytes(query.extensions);
  return Ok{};
}

Status write_payload(ByteWriter& out, const QueryHit& hit) {
  if (hit.results.empty() || hit.results.size() > 255) {
    return make_error("a QueryHit holds 1 to 255 results, not " + std::to_string(hit.results.size()));
  }
  if (Status ok = check_qhd(hit.qhd); !ok) return ok;
  out.u8(static_cast<std::uint8_t>(hit.results.size())).u16le(hit.port).u32be(hit.ip).u32le(hit.speed);
  for (const QueryHitResult& result : hit.results) {
    out.u32le(result.index).u32le(result.size);
    if (Status ok = write_terminated(out, as_bytes(result.name), "file name"); !ok) return ok;
    if (Status ok = write_terminated(out, result.extensions, "result extensions"); !ok) return ok;
  }
  out.bytes(hit.qhd).bytes(hit.servent_id);
  return Ok{};
}

Error in_type(PayloadType type, const Error& error) {
  return make_error(std::string(to_string(type)) + ": " + error.reason);
}

}  // namespace

std::string_view to_string(PayloadType type) {
  switch (type) {
    case PayloadType::Ping:
      return "Ping";
    case PayloadType::Pong:
      return "Pong";
    case PayloadType::Bye:
      return "Bye";
    case PayloadType::Push:
      return "Push";
    case PayloadType::Query:
      return "Query";
    case PayloadType::QueryHit:
      return "QueryHit";
  }
  return "unknown";
}

PayloadType payload_type(const Payload& payload) {
  // In the order of the Payload variant's alternatives.
  static constexpr PayloadType kTypes[] = {PayloadType::Ping, PayloadType::Pong,  PayloadType::Bye,
                                           PayloadType::Push, PayloadType::Query, PayloadType::QueryHit};
  static_assert(std::size(kTypes) == std::variant_size_v<Payload>);
  return kTypes[payload.index()];
}

Expected<Header> decode_header(ByteView bytes) {
  if (bytes.size() < kHeaderSize) {
    return make_error("descriptor header needs 23 bytes, got " + std::to_string(bytes.size()));
  }
  ByteReader in(bytes);
  Header header;
  header.guid = read_guid(*in.bytes(16));
  std::uint8_t type = *in.u8();
  auto known = known_type(type);
  if (!known) return make_error("unknown payload type " + hex_byte(type));
  header.type = *known;
  header.ttl = *in.u8();
  header.hops = *in.u8();
  header.payload_length = *in.u32le();
  if (header.payload_length > kMaxPayload) {
    return make_error("payload length " + std::to_string(header.payload_length) + " exceeds the cap of " +
                      std::to_string(kMaxPayload));
  }
  return header;
}

bool has_unknown_type(ByteView frame) {
  constexpr std::size_t kTypeOffset = 16;
  return frame.size() >= kHeaderSize && !known_type(frame[kTypeOffset]);
}

Expected<Descriptor> decode_descriptor(ByteView frame) {
  auto header = decode_header(frame);
  if (!header) return header.error();
  ByteView body = frame.subspan(kHeaderSize);
  if (body.size() != header->payload_length) {
    return make_error("payload length says " + std::to_string(header->payload_length) + " bytes but " +
                      std::to_string(body.size()) + " follow the header");
  }
  ByteReader in(body);
  auto payload = decode_payload(header->type, in);
  if (!payload) return in_type(header->type, payload.error());
  return Descriptor{*header, std::move(*payload)};
}

Expected<Bytes> encode_descriptor(const Guid& guid, std::uint8_t ttl, std::uint8_t hops,
                                  const Payload& payload) {
  PayloadType type = payload_type(payload);
  ByteWriter body;
  Status written = std::visit([&](const auto& p) { return write_payload(body, p); }, payload);
  if (!written) return in_type(type, written.error());
  if (body.size() > kMaxPayload) {
    return in_type(type, make_error("payload of " + std::to_string(body.size()) +
                                    " bytes exceeds the cap of " + std::to_string(kMaxPayload)));
  }
  ByteWriter out(kHeaderSize + body.size());
  out.bytes(guid).u8(static_cast<std::uint8_t>(type)).u8(ttl).u8(hops);
  out.u32le(static_cast<std::uint32_t>(body.size())).bytes(body.view());
  return out.take();
}

Bytes with_ttl_and_hops(ByteView frame, std::uint8_t ttl, std::uint8_t hops) {
  assert(frame.size() >= kHeaderSize);
  Bytes copy(frame.begin(), frame.end());
  copy[17] = ttl;
  copy[18] = hops;
  return copy;
}

}  // namespace p2p::gnutella
