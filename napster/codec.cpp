// The OpenNap codec: each message's payload written and read field by field, as napster.txt describes it.
#include "napster/codec.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <string>

#include "common/content/safe_name.h"
#include "napster/fields.h"
#include "napster/framer.h"

namespace p2p::napster {
namespace {

constexpr std::size_t kMaxWordBytes = 64;  // passwords, e-mails
constexpr std::size_t kMaxNameBytes = content::kMaxNameBytes;
constexpr std::uint64_t kU16 = std::numeric_limits<std::uint16_t>::max();
constexpr std::uint64_t kU32 = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t kU64 = std::numeric_limits<std::uint64_t>::max();

// --- writing ---

void write_file(FieldWriter& w, const FileInfo& f) {
  w.quoted(f.name).md5(f.md5).number(f.size).number(f.bitrate).number(f.frequency).number(f.seconds);
}

void write(FieldWriter& w, const ErrorMessage& m) {
  w.raw(m.text);
}
void write(FieldWriter& w, const Login& m) {
  w.word(m.nick).word(m.password).number(m.data_port).quoted(m.client_info).number(m.link_type);
}
void write(FieldWriter& w, const LoginAck& m) {
  w.word(m.email);
}
void write(FieldWriter& w, const ShareFile& m) {
  write_file(w, m.file);
}
void write(FieldWriter& w, const UnshareFile& m) {
  w.quoted(m.name);
}
void write(FieldWriter& w, const SearchRequest& m) {
  w.word("FILENAME").word("CONTAINS").quoted(m.words).word("MAX_RESULTS").number(m.max_results);
}
void write(FieldWriter& w, const SearchResult& m) {
  write_file(w, m.file);
  w.word(m.nick).number(m.ip).number(m.link_type).number(m.data_port);
}
void write(FieldWriter&, const SearchEnd&) {}
void write(FieldWriter& w, const DownloadRequest& m) {
  w.word(m.nick).quoted(m.name);
}
void write(FieldWriter& w, const DownloadAck& m) {
  w.word(m.nick).number(m.ip).number(m.data_port).quoted(m.name).md5(m.md5).number(m.link_type);
}
void write(FieldWriter& w, const DownloadError& m) {
  w.word(m.nick).quoted(m.name);
}
void write(FieldWriter& w, const BrowseRequest& m) {
  w.word(m.nick);
}
void write(FieldWriter& w, const BrowseEntry& m) {
  w.word(m.nick);
  write_file(w, m.file);
}
void write(FieldWriter& w, const BrowseEnd& m) {
  w.word(m.nick);
}
void write(FieldWriter&, const StatsRequest&) {}
void write(FieldWriter& w, const ServerStats& m) {
  w.number(m.users).number(m.files).number(m.gigabytes);
}

// --- reading ---

std::string read_nick(FieldReader& r) {
  return r.word("nick", kMaxNickBytes);
}
std::string read_name(FieldReader& r) {
  return r.quoted("file name", kMaxNameBytes, false);
}
std::uint32_t read_u32(FieldReader& r, const char* what, std::uint64_t max = kU32) {
  return static_cast<std::uint32_t>(r.number(what, max));
}
std::uint16_t read_port(FieldReader& r) {
  return static_cast<std::uint16_t>(r.number("port", kU16));
}

FileInfo read_file(FieldReader& r) {
  FileInfo f;
  f.name = read_name(r);
  f.md5 = r.md5("md5");
  f.size = r.number("size", kU64);
  f.bitrate = read_u32(r, "bitrate");
  f.frequency = read_u32(r, "frequency");
  f.seconds = read_u32(r, "time");
  return f;
}

Expected<Message> read_login(FieldReader& r) {
  Login m;
  m.nick = read_nick(r);
  m.password = r.word("password", kMaxWordBytes);
  m.data_port = read_port(r);
  m.client_info = r.quoted("client info", kMaxWordBytes, true);
  m.link_type = read_u32(r, "link type", kMaxLinkType);
  return r.finish<Message>(m);
}

// Clauses may come in any order (napster.txt shows MAX_RESULTS first and last); MAX_RESULTS is required.
Expected<Message> read_search(FieldReader& r) {
  SearchRequest m;
  bool have_words = false;
  bool have_max = false;
  while (r.ok() && !r.at_end()) {
    if (r.accept("FILENAME")) {
      if (!r.accept("CONTAINS")) r.fail("FILENAME must be followed by CONTAINS");
      std::string words = r.quoted("search words", kMaxNameBytes, false);
      m.words += (have_words ? " " : "") + words;
      have_words = true;
    } else if (r.accept("MAX_RESULTS")) {
      m.max_results = read_u32(r, "max results");
      have_max = true;
    } else {
      r.fail("unsupported search clause (only FILENAME CONTAINS and MAX_RESULTS are)");
    }
  }
  if (!have_words) r.fail("search has no FILENAME CONTAINS clause");
  if (!have_max) r.fail("search has no MAX_RESULTS clause");
  if (m.words.size() > kMaxNameBytes) r.fail("search words are longer than " + std::to_string(kMaxNameBytes));
  return r.finish<Message>(m);
}

Expected<Message> read_search_result(FieldReader& r) {
  SearchResult m;
  m.file = read_file(r);
  m.nick = read_nick(r);
  m.ip = read_u32(r, "ip");
  m.link_type = read_u32(r, "link type", kMaxLinkType);
  m.data_port = read_port(r);
  return r.finish<Message>(m);
}

Expected<Message> read_download_ack(FieldReader& r) {
  DownloadAck m;
  m.nick = read_nick(r);
  m.ip = read_u32(r, "ip");
  m.data_port = read_port(r);
  m.name = read_name(r);
  m.md5 = r.md5("md5");
  m.link_type = read_u32(r, "link type", kMaxLinkType);
  return r.finish<Message>(m);
}

Expected<Message> read_payload(MessageType type, std::string_view payload) {
  std::vector<Field> fields;
  // An error message is free text, the one payload that is not made of fields.
  if (type != MessageType::Error) {
    auto split = split_fields(payload);
    if (!split) return split.error();
    fields = std::move(split).value();
  }
  FieldReader r(std::move(fields));
  switch (type) {
    case MessageType::Error:
      return Message{ErrorMessage{std::string(payload)}};
    case MessageType::Login:
      return read_login(r);
    case MessageType::LoginAck:
      return r.finish<Message>(LoginAck{r.word("email", kMaxWordBytes)});
    case MessageType::Share:
      return r.finish<Message>(ShareFile{read_file(r)});
    case MessageType::Unshare:
      return r.finish<Message>(UnshareFile{read_name(r)});
    case MessageType::Search:
      return read_search(r);
    case MessageType::SearchResult:
      return read_search_result(r);
    case MessageType::SearchEnd:
      return r.finish<Message>(SearchEnd{});
    case MessageType::DownloadRequest: {
      DownloadRequest m{read_nick(r), ""};
      m.name = read_name(r);
      return r.finish<Message>(m);
    }
    case MessageType::DownloadAck:
      return read_download_ack(r);
    case MessageType::DownloadError: {
      DownloadError m{read_nick(r), ""};
      m.name = read_name(r);
      return r.finish<Message>(m);
    }
    case MessageType::BrowseRequest:
      return r.finish<Message>(BrowseRequest{read_nick(r)});
    case MessageType::BrowseEntry: {
      BrowseEntry m{read_nick(r), {}};
      m.file = read_file(r);
      return r.finish<Message>(m);
    }
    case MessageType::BrowseEnd:
      return r.finish<Message>(BrowseEnd{read_nick(r)});
    case MessageType::Stats: {
      // The same number both ways: no data from a client, three numbers from the server.
      if (payload.empty()) return Message{StatsRequest{}};
      ServerStats m;
      m.users = r.number("users", kU64);
      m.files = r.number("files", kU64);
      m.gigabytes = r.number("gigabytes", kU64);
      return r.finish<Message>(m);
    }
  }
  return make_error("unknown message type " + std::to_string(static_cast<unsigned>(type)));
}

std::uint32_t swap_bytes(std::uint32_t v) {
  return ((v & 0xffu) << 24) | ((v & 0xff00u) << 8) | ((v >> 8) & 0xff00u) | (v >> 24);
}

bool is_known(std::uint16_t type) {
  switch (static_cast<MessageType>(type)) {
    case MessageType::Error:
    case MessageType::Login:
    case MessageType::LoginAck:
    case MessageType::Share:
    case MessageType::Unshare:
    case MessageType::Search:
    case MessageType::SearchResult:
    case MessageType::SearchEnd:
    case MessageType::DownloadRequest:
    case MessageType::DownloadAck:
    case MessageType::DownloadError:
    case MessageType::BrowseRequest:
    case MessageType::BrowseEntry:
    case MessageType::BrowseEnd:
    case MessageType::Stats:
      return true;
  }
  return false;
}

}  // namespace

void encode_to(Bytes& out, const Message& message) {
  FieldWriter fields;
  std::visit([&](const auto& m) { write(fields, m); }, message);
  std::string_view payload = fields.text();
  assert(payload.size() <= kMaxPayload);
  const auto length = static_cast<std::uint16_t>(payload.size());
  const auto type = static_cast<std::uint16_t>(type_of(message));
  const std::uint8_t header[kHeaderBytes] = {
      static_cast<std::uint8_t>(length & 0xff), static_cast<std::uint8_t>(length >> 8),
      static_cast<std::uint8_t>(type & 0xff), static_cast<std::uint8_t>(type >> 8)};
  out.insert(out.end(), std::begin(header), std::end(header));
  ByteView bytes = as_bytes(payload);
  out.insert(out.end(), bytes.begin(), bytes.end());
}

Bytes encode(const Message& message) {
  Bytes out;
  encode_to(out, message);
  return out;
}

Expected<Message> decode(ByteView frame) {
  ByteReader reader(frame);
  auto length = reader.u16le();
  auto type = reader.u16le();
  if (!length || !type) return make_error("frame shorter than its 4-byte header");
  if (*length > kMaxPayload) {
    return make_error("payload of " + std::to_string(*length) + " bytes exceeds the cap of " +
                      std::to_string(kMaxPayload));
  }
  if (*length != reader.remaining()) {
    return make_error("length field says " + std::to_string(*length) + " bytes but the payload has " +
                      std::to_string(reader.remaining()));
  }
  if (!is_known(*type)) return make_error("unknown message type " + std::to_string(*type));
  std::string_view payload = as_chars(reader.rest());
  auto bad = std::find_if(payload.begin(), payload.end(), [](char c) { return c < 0x20 || c > 0x7e; });
  if (bad != payload.end()) {
    return make_error("payload byte " + std::to_string(bad - payload.begin()) + " is not printable ASCII");
  }
  auto message = read_payload(static_cast<MessageType>(*type), payload);
  if (!message) {
    return make_error("bad message " + std::to_string(*type) + ": " + message.reason());
  }
  return message;
}

std::unique_ptr<Framer> make_framer() {
  return std::make_unique<OpenNapFramer>(kMaxPayload);
}

std::uint32_t napster_ip(const Endpoint& endpoint) {
  return swap_bytes(endpoint.ipv4());
}

Endpoint endpoint_from_napster_ip(std::uint32_t ip, std::uint16_t port) {
  return Endpoint::from_ipv4(swap_bytes(ip), port);
}

}  // namespace p2p::napster
