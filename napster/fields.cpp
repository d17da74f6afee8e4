// The OpenNap payload grammar: splitting a payload into fields, reading them typed, and writing them back.
#include "napster/fields.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <iterator>
#include <tuple>

#include "common/util/encoding.h"

namespace p2p::napster {

Expected<std::vector<Field>> split_fields(std::string_view payload) {
  std::vector<Field> fields;
  std::size_t pos = 0;
  while (pos < payload.size()) {
    if (!fields.empty()) {
      if (payload[pos] != ' ') return make_error("fields must be separated by a single space");
      ++pos;
      if (pos == payload.size()) return make_error("trailing space after the last field");
    }
    if (payload[pos] == '"') {
      std::size_t close = payload.find('"', pos + 1);
      if (close == std::string_view::npos) return make_error("unterminated quoted string");
      if (close + 1 < payload.size() && payload[close + 1] != ' ') {
        return make_error("closing quote not followed by a space (quotes cannot be escaped)");
      }
      fields.push_back({payload.substr(pos + 1, close - pos - 1), true});
      pos = close + 1;
    } else {
      std::size_t end = std::min(payload.find(' ', pos), payload.size());
      std::string_view word = payload.substr(pos, end - pos);
      if (word.empty()) return make_error("empty field (two spaces in a row)");
      if (word.find('"') != std::string_view::npos) return make_error("stray quote inside a bare field");
      fields.push_back({word, false});
      pos = end;
    }
  }
  return fields;
}

void FieldReader::fail(std::string reason) {
  if (error_.empty()) error_ = std::move(reason);
}

const Field* FieldReader::take(const char* what) {
  if (!ok()) return nullptr;
  if (at_end()) {
    fail(std::string("missing field: ") + what);
    return nullptr;
  }
  return &fields_[next_++];
}

std::string FieldReader::word(const char* what, std::size_t max_bytes) {
  const Field* field = take(what);
  if (field == nullptr) return {};
  if (field->quoted) fail(std::string(what) + " must not be quoted");
  if (field->text.size() > max_bytes) {
    fail(std::string(what) + " is longer than " + std::to_string(max_bytes) + " bytes");
  }
  return std::string(field->text);
}

std::string FieldReader::quoted(const char* what, std::size_t max_bytes, bool allow_empty) {
  const Field* field = take(what);
  if (field == nullptr) return {};
  if (!field->quoted) fail(std::string(what) + " must be in double quotes");
  if (!allow_empty && field->text.empty()) fail(std::string(what) + " is empty");
  if (field->text.size() > max_bytes) {
    fail(std::string(what) + " is longer than " + std::to_string(max_bytes) + " bytes");
  }
  return std::string(field->text);
}

std::uint64_t FieldReader::number(const char* what, std::uint64_t max) {
  const Field* field = take(what);
  if (field == nullptr) return 0;
  std::string_view text = field->text;
  if (field->quoted || text.empty() ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    fail(std::string(what) + " is not a decimal number: '" + std::string(text.substr(0, 24)) + "'");
    return 0;
  }
  std::uint64_t value = 0;
  for (char c : text) {
    auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (max - digit) / 10) {
      fail(std::string(what) + " is over its maximum of " + std::to_string(max));
      return 0;
    }
    value = value * 10 + digit;
  }
  return value;
}

Md5Digest FieldReader::md5(const char* what) {
  Md5Digest digest{};
  const Field* field = take(what);
  if (field == nullptr) return digest;
  auto bytes = field->quoted ? std::nullopt : from_hex(field->text);
  if (!bytes || bytes->size() != digest.size()) {
    fail(std::string(what) + " is not 32 hex digits");
    return digest;
  }
  std::copy(bytes->begin(), bytes->end(), digest.begin());
  return digest;
}

bool FieldReader::accept(std::string_view keyword) {
  if (!ok() || at_end() || fields_[next_].quoted || fields_[next_].text != keyword) return false;
  ++next_;
  return true;
}

void FieldWriter::separate() {
  if (!out_.empty()) out_ += ' ';
}

FieldWriter& FieldWriter::word(std::string_view text) {
  assert(!text.empty() && text.find_first_of(" \"") == std::string_view::npos);
  separate();
  out_ += text;
  return *this;
}

FieldWriter& FieldWriter::quoted(std::string_view text) {
  assert(text.find('"') == std::string_view::npos);
  separate();
  out_ += '"';
  out_ += text;
  out_ += '"';
  return *this;
}

// Numbers and digests are formatted in place: a server writes seven of them per search result.
FieldWriter& FieldWriter::number(std::uint64_t value) {
  char digits[20];
  auto end = std::to_chars(std::begin(digits), std::end(digits), value).ptr;
  return word(std::string_view(digits, static_cast<std::size_t>(end - digits)));
}

FieldWriter& FieldWriter::md5(const Md5Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  char hex[2 * std::tuple_size_v<Md5Digest>];
  for (std::size_t i = 0; i < digest.size(); ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 15];
  }
  return word(std::string_view(hex, sizeof hex));
}

FieldWriter& FieldWriter::raw(std::string_view text) {
  out_ += text;
  return *this;
}

}  // namespace p2p::napster
