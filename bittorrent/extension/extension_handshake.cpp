// The BEP 10 extension handshake: each item read with its type and range checked, unknown items ignored.
#include "bittorrent/extension/extension_handshake.h"

#include <cstdint>
#include <limits>

#include "bittorrent/bencode.h"

namespace p2p::bittorrent::extension {
namespace {

Error refuse(const std::string& why) {
  return make_error("extension handshake: " + why);
}

// The integer under `key` if it lies in [low, high]; nullopt if absent; an error for any other value.
Expected<std::optional<std::int64_t>> int_in(const Value& dict, std::string_view key, std::int64_t low,
                                             std::int64_t high) {
  const Value* value = dict.find(key);
  if (value == nullptr) return std::optional<std::int64_t>();
  const std::int64_t* n = value->if_int();
  if (n == nullptr || *n < low || *n > high) {
    return refuse("'" + std::string(key) + "' is not an integer from " + std::to_string(low) + " to " +
                  std::to_string(high));
  }
  return std::optional<std::int64_t>(*n);
}

// The string under `key`; nullopt if absent; an error for any other type.
Expected<std::optional<std::string>> string_at(const Value& dict, std::string_view key) {
  const Value* value = dict.find(key);
  if (value == nullptr) return std::optional<std::string>();
  if (value->if_string() == nullptr) return refuse("'" + std::string(key) + "' is not a string");
  return std::optional<std::string>(*value->if_string());
}

// Narrows a checked optional integer to the field's type.
template <typename T>
std::optional<T> narrow(const std::optional<std::int64_t>& n) {
  return n ? std::optional<T>(static_cast<T>(*n)) : std::nullopt;
}

}  // namespace

std::optional<std::uint8_t> ExtensionHandshake::id_of(std::string_view name) const {
  auto it = m.find(name);
  if (it == m.end() || it->second == 0) return std::nullopt;
  return it->second;
}

Bytes encode_extension_handshake(const ExtensionHandshake& handshake) {
  Dict m;
  for (const auto& [name, id] : handshake.m) m.emplace(name, id);
  Dict dict{{"m", std::move(m)}};
  if (handshake.v) dict.emplace("v", *handshake.v);
  if (handshake.p) dict.emplace("p", *handshake.p);
  if (handshake.metadata_size) dict.emplace("metadata_size", *handshake.metadata_size);
  if (handshake.reqq) dict.emplace("reqq", *handshake.reqq);
  if (handshake.yourip) dict.emplace("yourip", *handshake.yourip);
  return encode(dict);
}

Expected<ExtensionHandshake> decode_extension_handshake(ByteView payload) {
  auto root = decode(payload);
  if (!root) return refuse(root.reason());
  if (root->if_dict() == nullptr) return refuse("not a dictionary");

  ExtensionHandshake out;
  if (const Value* m = root->find("m")) {
    if (m->if_dict() == nullptr) return refuse("'m' is not a dictionary");
    for (const auto& [name, id] : *m->if_dict()) {
      const std::int64_t* n = id.if_int();
      if (n == nullptr || *n < 0 || *n > 255)
        return refuse("extension '" + name + "' has no id from 0 to 255");
      out.m.emplace(name, static_cast<std::uint8_t>(*n));
    }
  }

  auto v = string_at(*root, "v");
  if (!v) return v.error();
  out.v = *v;
  auto yourip = string_at(*root, "yourip");
  if (!yourip) return yourip.error();
  if (*yourip && (*yourip)->size() != 4 && (*yourip)->size() != 16) {
    return refuse("'yourip' of " + std::to_string((*yourip)->size()) + " bytes, not 4 or 16");
  }
  out.yourip = *yourip;
  auto p = int_in(*root, "p", 1, std::numeric_limits<std::uint16_t>::max());
  if (!p) return p.error();
  out.p = narrow<std::uint16_t>(*p);
  auto metadata_size = int_in(*root, "metadata_size", 1, std::numeric_limits<std::int64_t>::max());
  if (!metadata_size) return metadata_size.error();
  out.metadata_size = narrow<std::size_t>(*metadata_size);
  auto reqq = int_in(*root, "reqq", 1, std::numeric_limits<std::uint32_t>::max());
  if (!reqq) return reqq.error();
  out.reqq = narrow<std::uint32_t>(*reqq);
  return out;
}

}  // namespace p2p::bittorrent::extension
