// Bencoding (BEP 3): the value type, a strict decoder for untrusted bytes, and the canonical encoder.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/util/bytes.h"
#include "common/util/expected.h"

namespace p2p::bittorrent {

class Value;
using List = std::vector<Value>;
// std::string compares bytes as unsigned chars, so iterating a Dict visits keys in the raw-byte order that
// BEP 3 requires of an encoded dictionary. std::less<> lets callers look keys up by string_view.
using Dict = std::map<std::string, Value, std::less<>>;

// One bencoded value: an integer, a byte string, a list or a dictionary (BEP 3, "bencoding").
// Strings hold raw bytes (piece hashes, compact peers), not necessarily text.
class Value {
 public:
  Value() = default;
  // Implicit, so values read like literals: Dict{{"length", 5}, {"path", List{"a", "b"}}}.
  // NOLINTBEGIN(google-explicit-constructor)
  template <std::integral T>
  Value(T v) : data_(static_cast<std::int64_t>(v)) {}
  Value(std::string v) : data_(std::move(v)) {}
  Value(const char* v) : data_(std::string(v)) {}
  Value(List v) : data_(std::move(v)) {}
  Value(Dict v) : data_(std::move(v)) {}
  // NOLINTEND(google-explicit-constructor)
  // Out of line: inlining std::variant's copy and move of this recursive type sets off GCC 12's false
  // -Wmaybe-uninitialized in every file that uses it; defined once in bencode.cpp, the warning cannot fire.
  Value(const Value& other);
  Value(Value&& other) noexcept;
  Value& operator=(const Value& other);
  Value& operator=(Value&& other) noexcept;
  ~Value();

  // Each accessor returns nullptr when the value is of another type, so a decoder checks a field's type
  // and reads it in one step.
  const std::int64_t* if_int() const { return std::get_if<std::int64_t>(&data_); }
  const std::string* if_string() const { return std::get_if<std::string>(&data_); }
  const List* if_list() const { return std::get_if<List>(&data_); }
  const Dict* if_dict() const { return std::get_if<Dict>(&data_); }
  std::string* if_string() { return std::get_if<std::string>(&data_); }
  List* if_list() { return std::get_if<List>(&data_); }
  Dict* if_dict() { return std::get_if<Dict>(&data_); }

  // The value under `key` if this is a dictionary that has it, else nullptr.
  const Value* find(std::string_view key) const;

  friend bool operator==(const Value&, const Value&) = default;

 private:
  std::variant<std::int64_t, std::string, List, Dict> data_;
};

// Caps that keep a hostile input from costing more than it should. A .torrent of a 4 GiB file with 256 KiB
// pieces is about 320 KiB; a tracker answer is smaller still.
struct DecodeLimits {
  std::size_t max_input = std::size_t{16} << 20;  // 16 MiB
  std::size_t max_depth = 32;                     // nested lists and dictionaries; a torrent needs 5
  std::size_t max_values = 1 << 20;               // every integer, string, list and dictionary counts one
};

// A decoded top-level dictionary together with the exact bytes of each of its values. BEP 3 defines the
// info-hash over the `info` value as it appears in the file, so it is never re-encoded.
struct DecodedDict {
  Dict dict;
  std::map<std::string, ByteView, std::less<>> raw;  // views into the decoded input
};

// Decodes `input`, which must hold exactly one canonical value and nothing after it. Refused: integers with
// leading zeros, "-0" or no digits; string lengths with leading zeros or past the end of the input;
// dictionary keys out of order or repeated; nesting past max_depth; inputs or value counts over the limits.
Expected<Value> decode(ByteView input, const DecodeLimits& limits = {});
// The same, for an input that must be a dictionary, also reporting where each of its values lies.
Expected<DecodedDict> decode_dict(ByteView input, const DecodeLimits& limits = {});

// A value at the front of an input that goes on after it, and how many bytes the value takes: BEP 9's data
// message carries a metadata piece right after its bencoded dictionary.
struct DecodedPrefix {
  Value value;
  std::size_t length = 0;
};
// The same refusals as decode(), except that bytes after the first value are left to the caller.
Expected<DecodedPrefix> decode_prefix(ByteView input, const DecodeLimits& limits = {});

// The canonical encoding: dictionary keys sorted, integers without padding. decode(encode(v)) == v.
Bytes encode(const Value& value);
void encode_to(const Value& value, Bytes& out);

}  // namespace p2p::bittorrent
