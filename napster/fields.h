// The OpenNap payload grammar: fields separated by single spaces, strings (file names, client info) in double
// quotes.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/expected.h"
#include "common/util/hash.h"

namespace p2p::napster {

// One field of a payload: a bare word (`lefty`, `6699`) or the inside of a quoted string.
struct Field {
  std::string_view text;
  bool quoted = false;
};

// Cuts a payload into fields. napster.txt: fields are "separated by a single space character"; a quoted
// string runs to the next double quote, with no escaping, so a name can never hold a quote. A quote inside a
// bare word, an unterminated quote, or a quote not followed by a space is an error.
Expected<std::vector<Field>> split_fields(std::string_view payload);

// Reads typed fields in order and keeps the first error, so a decoder reads as the message's description in
// napster.txt: nick, then password, then port... and checks once at the end.
class FieldReader {
 public:
  explicit FieldReader(std::vector<Field> fields) : fields_(std::move(fields)) {}

  // A bare word of 1..max_bytes bytes (a nick, a password, an e-mail).
  std::string word(const char* what, std::size_t max_bytes);
  // A quoted string; `allow_empty` for the client info, never for a file name.
  std::string quoted(const char* what, std::size_t max_bytes, bool allow_empty);
  // A decimal number in [0, max]: digits only, no sign, no spaces.
  std::uint64_t number(const char* what, std::uint64_t max);
  // 32 hex digits.
  Md5Digest md5(const char* what);
  // Consumes the next field if it is exactly this bare word (a search keyword such as MAX_RESULTS).
  bool accept(std::string_view keyword);

  bool at_end() const { return next_ >= fields_.size(); }
  bool ok() const { return error_.empty(); }
  // Records an error unless one is already kept.
  void fail(std::string reason);
  // The decoded value if every field was read and none is left over, else the first error.
  template <typename T>
  Expected<T> finish(T value) {
    if (ok() && !at_end()) fail(std::to_string(fields_.size() - next_) + " unexpected trailing field(s)");
    if (!ok()) return make_error(error_);
    return value;
  }

 private:
  const Field* take(const char* what);

  std::vector<Field> fields_;
  std::size_t next_ = 0;
  std::string error_;
};

// Builds a payload field by field. Encoding is total: the inputs are checked with asserts, because a node
// only encodes names and nicks it decoded or generated itself.
class FieldWriter {
 public:
  // Room for the longest usual payload (a result with a long name), so writing rarely reallocates.
  FieldWriter() { out_.reserve(256); }

  FieldWriter& word(std::string_view text);
  FieldWriter& quoted(std::string_view text);
  FieldWriter& number(std::uint64_t value);
  FieldWriter& md5(const Md5Digest& digest);
  // Free text (an error message): appended as it is.
  FieldWriter& raw(std::string_view text);

  std::string take() { return std::move(out_); }
  std::string_view text() const { return out_; }

 private:
  void separate();
  std::string out_;
};

}  // namespace p2p::napster
