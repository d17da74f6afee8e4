// The KaZaA codec: each message's payload written and read field by field, as kazaa/PROTOCOL.md describes it.
#include "kazaa/codec.h"

#include <cassert>
#include <optional>
#include <string>

#include "kazaa/fields.h"
#include "kazaa/framer.h"

namespace p2p::kazaa {
namespace {

// The largest QueryReply: its query id, supernode and count, then kMaxResults results of the longest owner
// name and file name. It must fit the frame cap, or a supernode could build a reply no peer accepts.
constexpr std::size_t kMaxResultBytes = 6 + (1 + kMaxUserNameBytes) + 20 + 8 + (1 + kMaxTextBytes);
static_assert(2 + 6 + 1 + kMaxResults * kMaxResultBytes <= kMaxPayload);

// --- writing ---

void write(FieldWriter& w, const SupernodeList& m) {
  w.entries(m.entries);
}
void write(FieldWriter& w, const Login& m) {
  w.text(m.user_name).u16(m.listen_port).u32(m.upload_kbps).u32(m.uptime_s).boolean(m.reachable);
  w.boolean(m.supernode);
}
void write(FieldWriter& w, const AttachAccept& m) {
  w.entries(m.fresh);
}
void write(FieldWriter& w, const AttachRefuse& m) {
  w.entries(m.alternatives);
}
void write(FieldWriter& w, const ShareFile& m) {
  w.text(m.name).u64(m.size).hash(m.hash).count(m.metadata.size(), kMaxMetadata);
  for (const MetadataPair& pair : m.metadata) w.text(pair.key).text(pair.value);
}
void write(FieldWriter& w, const Unshare& m) {
  w.hash(m.hash);
}
void write(FieldWriter& w, const Query& m) {
  w.u16(m.query_id).u16(m.max_results).text(m.words);
}
void write(FieldWriter& w, const QueryReply& m) {
  w.u16(m.query_id).endpoint(m.supernode).count(m.results.size(), kMaxResults);
  for (const QueryResult& r : m.results)
    w.endpoint(r.owner).text(r.owner_name).hash(r.hash).u64(r.size).text(r.name);
}
void write(FieldWriter& w, const SearchEnd& m) {
  w.u16(m.query_id);
}
void write(FieldWriter& w, const SearchForward& m) {
  w.u16(m.query_id).endpoint(m.origin).u16(m.max_results).text(m.words);
}
void write(FieldWriter& w, const NetworkStats& m) {
  w.u32(m.users).u32(m.files).u64(m.total_bytes);
}
void write(FieldWriter& w, const Ping& m) {
  w.u32(m.nonce);
}
void write(FieldWriter& w, const Pong& m) {
  w.u32(m.nonce).u8(m.load_percent);
}
void write(FieldWriter& w, const Handoff& m) {
  w.entries(m.alternatives);
}

// --- reading ---

std::string read_user_name(FieldReader& r, const char* what) {
  return r.text(what, false, kMaxUserNameBytes);
}
std::string read_words(FieldReader& r) {
  return r.text("search words", false, kMaxTextBytes);
}
std::uint16_t read_max_results(FieldReader& r) {
  std::uint16_t max = r.u16("result cap");
  if (max == 0 || max > kMaxResults)
    r.fail("result cap " + std::to_string(max) + " is outside 1.." + std::to_string(kMaxResults));
  return max;
}

Expected<Message> read_login(FieldReader& r) {
  Login m;
  m.user_name = read_user_name(r, "user name");
  m.listen_port = r.u16("listen port");
  m.upload_kbps = r.u32("upload capacity");
  m.uptime_s = r.u32("uptime");
  m.reachable = r.boolean("reachable flag");
  m.supernode = r.boolean("supernode flag");
  return r.finish<Message>(m);
}

Expected<Message> read_share(FieldReader& r) {
  ShareFile m;
  m.name = r.file_name("file name");
  m.size = r.u64("file size");
  m.hash = r.hash("content hash");
  m.metadata.resize(r.count("metadata", kMaxMetadata));
  for (MetadataPair& pair : m.metadata) {
    pair.key = r.text("metadata key", false, kMaxMetadataKeyBytes);
    pair.value = r.text("metadata value", true, kMaxTextBytes);
  }
  return r.finish<Message>(m);
}

Expected<Message> read_query(FieldReader& r) {
  Query m;
  m.query_id = r.u16("query id");
  m.max_results = read_max_results(r);
  m.words = read_words(r);
  return r.finish<Message>(m);
}

Expected<Message> read_reply(FieldReader& r) {
  QueryReply m;
  m.query_id = r.u16("query id");
  m.supernode = r.endpoint("answering supernode");
  m.results.resize(r.count("results", kMaxResults));
  for (QueryResult& result : m.results) {
    result.owner = r.endpoint("owner address");
    result.owner_name = read_user_name(r, "owner name");
    result.hash = r.hash("content hash");
    result.size = r.u64("file size");
    result.name = r.file_name("file name");
  }
  return r.finish<Message>(m);
}

Expected<Message> read_forward(FieldReader& r) {
  SearchForward m;
  m.query_id = r.u16("query id");
  m.origin = r.endpoint("originating supernode");
  m.max_results = read_max_results(r);
  m.words = read_words(r);
  return r.finish<Message>(m);
}

Expected<Message> read_stats(FieldReader& r) {
  NetworkStats m;
  m.users = r.u32("users");
  m.files = r.u32("files");
  m.total_bytes = r.u64("total size");
  return r.finish<Message>(m);
}

Expected<Message> read_pong(FieldReader& r) {
  Pong m;
  m.nonce = r.u32("nonce");
  m.load_percent = r.u8("load");
  if (m.load_percent > 100) r.fail("load " + std::to_string(m.load_percent) + " is over 100 %");
  return r.finish<Message>(m);
}

Expected<Message> read_payload(MessageType type, FieldReader& r) {
  switch (type) {
    case MessageType::SupernodeList:
      return r.finish<Message>(SupernodeList{r.entries("supernode list")});
    case MessageType::Login:
      return read_login(r);
    case MessageType::AttachAccept:
      return r.finish<Message>(AttachAccept{r.entries("fresh supernode list")});
    case MessageType::AttachRefuse:
      return r.finish<Message>(AttachRefuse{r.entries("alternatives")});
    case MessageType::ShareFile:
      return read_share(r);
    case MessageType::Unshare:
      return r.finish<Message>(Unshare{r.hash("content hash")});
    case MessageType::Query:
      return read_query(r);
    case MessageType::QueryReply:
      return read_reply(r);
    case MessageType::SearchEnd:
      return r.finish<Message>(SearchEnd{r.u16("query id")});
    case MessageType::SearchForward:
      return read_forward(r);
    case MessageType::NetworkStats:
      return read_stats(r);
    case MessageType::Ping:
      return r.finish<Message>(Ping{r.u32("nonce")});
    case MessageType::Pong:
      return read_pong(r);
    case MessageType::Handoff:
      return r.finish<Message>(Handoff{r.entries("alternatives")});
  }
  return make_error("unknown message type");
}

std::optional<std::string_view> known_name(std::uint8_t type) {
  switch (static_cast<MessageType>(type)) {
    case MessageType::SupernodeList:
      return "SupernodeList";
    case MessageType::Login:
      return "Login";
    case MessageType::AttachAccept:
      return "AttachAccept";
    case MessageType::AttachRefuse:
      return "AttachRefuse";
    case MessageType::ShareFile:
      return "ShareFile";
    case MessageType::Unshare:
      return "Unshare";
    case MessageType::Query:
      return "Query";
    case MessageType::QueryReply:
      return "QueryReply";
    case MessageType::SearchEnd:
      return "SearchEnd";
    case MessageType::SearchForward:
      return "SearchForward";
    case MessageType::NetworkStats:
      return "NetworkStats";
    case MessageType::Ping:
      return "Ping";
    case MessageType::Pong:
      return "Pong";
    case MessageType::Handoff:
      return "Handoff";
  }
  return std::nullopt;
}

}  // namespace

Bytes encode(const Message& message) {
  FieldWriter fields;
  std::visit([&](const auto& m) { write(fields, m); }, message);
  Bytes payload = fields.take();
  assert(payload.size() <= kMaxPayload);
  ByteWriter frame(kHeaderBytes + payload.size());
  frame.u8(static_cast<std::uint8_t>(type_of(message))).u32be(static_cast<std::uint32_t>(payload.size()));
  frame.bytes(payload);
  return frame.take();
}

Expected<Message> decode(ByteView frame) {
  ByteReader reader(frame);
  auto type = reader.u8();
  auto length = reader.u32be();
  if (!type || !length) return make_error("frame shorter than its 5-byte header");
  if (*length > kMaxPayload) return frame_over_cap("payload", *length, kMaxPayload);
  if (*length != reader.remaining()) {
    return make_error("length field says " + std::to_string(*length) + " bytes but the payload has " +
                      std::to_string(reader.remaining()));
  }
  auto name = known_name(*type);
  if (!name) return make_error("unknown message type " + std::to_string(*type));
  FieldReader fields(reader.rest());
  auto message = read_payload(static_cast<MessageType>(*type), fields);
  if (!message) return make_error("bad " + std::string(*name) + ": " + message.reason());
  return message;
}

std::string_view type_name(MessageType type) {
  return known_name(static_cast<std::uint8_t>(type)).value_or("unknown");
}

std::unique_ptr<Framer> make_framer() {
  return std::make_unique<KazaaFramer>(kMaxPayload);
}

}  // namespace p2p::kazaa
