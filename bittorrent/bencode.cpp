// Bencoding (BEP 3): a strict recursive-descent decoder bounded by DecodeLimits, and the canonical encoder.
#include "bittorrent/bencode.h"

#include <charconv>
#include <limits>

namespace p2p::bittorrent {

Value::Value(const Value& other) = default;
Value::Value(Value&& other) noexcept = default;
Value& Value::operator=(const Value& other) = default;
Value& Value::operator=(Value&& other) noexcept = default;
Value::~Value() = default;

const Value* Value::find(std::string_view key) const {
  const Dict* dict = if_dict();
  if (dict == nullptr) return nullptr;
  auto it = dict->find(key);
  return it == dict->end() ? nullptr : &it->second;
}

namespace {

using RawSpans = std::map<std::string, ByteView, std::less<>>;

// Reads one value at a time from the front of the input. Recursion goes one level per nested list or
// dictionary and stops at DecodeLimits::max_depth, so a hostile "llllll..." cannot exhaust the stack.
class Parser {
 public:
  Parser(ByteView input, const DecodeLimits& limits) : in_(input), limits_(limits) {}

  // The whole input as one value. `raw`, when given, receives the byte span of each value of the top-level
  // dictionary (and the input must be a dictionary).
  Status document(RawSpans* raw, Value& out) {
    if (Status parsed = prefix(raw, out); !parsed) return parsed;
    if (pos_ != in_.size()) return fail(pos_, std::to_string(in_.size() - pos_) + " bytes follow the value");
    return Ok{};
  }

  // The first value of the input; consumed() says where it ends.
  Status prefix(RawSpans* raw, Value& out) {
    if (in_.size() > limits_.max_input) {
      return make_error("input of " + std::to_string(in_.size()) + " bytes exceeds the limit of " +
                        std::to_string(limits_.max_input));
    }
    if (raw != nullptr && (in_.empty() || in_[0] != 'd')) return fail(0, "expected a dictionary");
    return parse_value(0, raw, out);
  }

  std::size_t consumed() const { return pos_; }

 private:
  Error fail(std::size_t at, const std::string& what) const {
    return make_error("bencode: " + what + " at byte " + std::to_string(at));
  }
  bool at_end() const { return pos_ >= in_.size(); }
  std::uint8_t peek() const { return in_[pos_]; }
  static bool is_digit(std::uint8_t c) { return c >= '0' && c <= '9'; }

  // Values are parsed in place, into the list element or dictionary entry that will hold them.
  Status parse_value(std::size_t depth, RawSpans* raw, Value& out) {
    if (at_end()) return fail(pos_, "input ends where a value should start");
    if (++values_ > limits_.max_values) {
      return fail(pos_, "more than " + std::to_string(limits_.max_values) + " values");
    }
    std::uint8_t c = peek();
    if (c == 'i') {
      ++pos_;
      auto number = parse_number('e', true);
      if (!number) return number.error();
      out = *number;
      return Ok{};
    }
    if (is_digit(c)) {
      auto text = parse_string();
      if (!text) return text.error();
      out = std::move(*text);
      return Ok{};
    }
    if (c == 'l' || c == 'd') {
      if (depth >= limits_.max_depth) {
        return fail(pos_, "nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
      }
      ++pos_;
      return c == 'l' ? parse_list(depth + 1, out) : parse_dict(depth + 1, raw, out);
    }
    return fail(pos_, "unexpected byte " + std::to_string(c));
  }

  // A canonical decimal number ending at `terminator`: at least one digit, no leading zero, no "-0", and
  // within 64 bits.
  Expected<std::int64_t> parse_number(char terminator, bool allow_negative) {
    std::size_t start = pos_;
    bool negative = allow_negative && !at_end() && peek() == '-';
    if (negative) ++pos_;
    const std::uint64_t limit =
        static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1 : 0);
    std::size_t first_digit = pos_;
    std::uint64_t magnitude = 0;
    while (!at_end() && is_digit(peek())) {
      unsigned digit = peek() - '0';
      if (magnitude > (limit - digit) / 10) return fail(start, "number out of the 64-bit range");
      magnitude = magnitude * 10 + digit;
      ++pos_;
    }
    std::size_t digits = pos_ - first_digit;
    if (digits == 0) return fail(start, "number without digits");
    if (digits > 1 && in_[first_digit] == '0') return fail(start, "number with a leading zero");
    if (negative && magnitude == 0) return fail(start, "negative zero");
    if (at_end() || peek() != static_cast<std::uint8_t>(terminator)) {
      return fail(pos_, std::string("number not ended by '") + terminator + "'");
    }
    ++pos_;
    return static_cast<std::int64_t>(negative ? 0 - magnitude : magnitude);
  }

  Expected<std::string> parse_string() {
    std::size_t start = pos_;
    auto length = parse_number(':', false);
    if (!length) return length.error();
    auto size = static_cast<std::uint64_t>(*length);
    if (size > in_.size() - pos_) {
      return fail(start, "string of " + std::to_string(size) + " bytes runs past the end of the input");
    }
    std::string out(as_chars(in_.subspan(pos_, size)));
    pos_ += size;
    return out;
  }

  Status parse_list(std::size_t depth, Value& out) {
    List& list = *(out = List{}).if_list();
    while (!at_end() && peek() != 'e') {
      if (Status item = parse_value(depth, nullptr, list.emplace_back()); !item) return item;
    }
    if (at_end()) return fail(pos_, "list not ended by 'e'");
    ++pos_;
    return Ok{};
  }

  Status parse_dict(std::size_t depth, RawSpans* raw, Value& out) {
    Dict& dict = *(out = Dict{}).if_dict();
    while (!at_end() && peek() != 'e') {
      std::size_t key_at = pos_;
      if (!is_digit(peek())) return fail(pos_, "dictionary key is not a string");
      auto key = parse_string();
      if (!key) return key.error();
      if (!dict.empty()) {
        const std::string& previous = dict.rbegin()->first;
        if (*key == previous) return fail(key_at, "repeated dictionary key");
        if (*key < previous) return fail(key_at, "dictionary keys out of order");
      }
      if (!at_end() && peek() == 'e') return fail(pos_, "dictionary key without a value");
      std::size_t value_at = pos_;
      auto entry = dict.emplace_hint(dict.end(), std::move(*key), Value{});
      if (Status item = parse_value(depth, nullptr, entry->second); !item) return item;
      if (raw != nullptr) raw->emplace(entry->first, in_.subspan(value_at, pos_ - value_at));
    }
    if (at_end()) return fail(pos_, "dictionary not ended by 'e'");
    ++pos_;
    return Ok{};
  }

  ByteView in_;
  const DecodeLimits& limits_;
  std::size_t pos_ = 0;
  std::size_t values_ = 0;
};

void append(Bytes& out, std::string_view text) {
  out.insert(out.end(), text.begin(), text.end());
}

void append_number(Bytes& out, std::int64_t n) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  append(out, std::string_view(digits, static_cast<std::size_t>(end - digits)));
}

void append_string(Bytes& out, std::string_view text) {
  append_number(out, static_cast<std::int64_t>(text.size()));
  out.push_back(':');
  append(out, text);
}

}  // namespace

Expected<Value> decode(ByteView input, const DecodeLimits& limits) {
  // Parsed in place and returned under one name, so the tree is never moved.
  Expected<Value> out{Value{}};
  Status parsed = Parser(input, limits).document(nullptr, *out);
  if (!parsed) out = parsed.error();
  return out;
}

Expected<DecodedDict> decode_dict(ByteView input, const DecodeLimits& limits) {
  DecodedDict out;
  Value root;
  if (Status parsed = Parser(input, limits).document(&out.raw, root); !parsed) return parsed.error();
  out.dict = std::move(*root.if_dict());
  return out;
}

Expected<DecodedPrefix> decode_prefix(ByteView input, const DecodeLimits& limits) {
  Expected<DecodedPrefix> out{DecodedPrefix{}};
  Parser parser(input, limits);
  Status parsed = parser.prefix(nullptr, out->value);
  if (!parsed) return parsed.error();
  out->length = parser.consumed();
  return out;
}

void encode_to(const Value& value, Bytes& out) {
  if (const auto* n = value.if_int()) {
    out.push_back('i');
    append_number(out, *n);
    out.push_back('e');
  } else if (const auto* text = value.if_string()) {
    append_string(out, *text);
  } else if (const auto* list = value.if_list()) {
    out.push_back('l');
    for (const Value& item : *list) encode_to(item, out);
    out.push_back('e');
  } else {
    out.push_back('d');
    for (const auto& [key, item] : *value.if_dict()) {
      append_string(out, key);
      encode_to(item, out);
    }
    out.push_back('e');
  }
}

Bytes encode(const Value& value) {
  Bytes out;
  encode_to(value, out);
  return out;
}

}  // namespace p2p::bittorrent
