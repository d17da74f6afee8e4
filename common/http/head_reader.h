// Reading the CRLF text heads of HTTP/1.1 (RFC 7230, 3), which Gnutella 0.6 handshakes share: a start line,
// headers, a blank line.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/net/framer.h"
#include "common/util/bytes.h"
#include "common/util/expected.h"

namespace p2p::http {

struct HeaderField {
  std::string name;
  std::string value;
  bool operator==(const HeaderField&) const = default;
};

// The first header called `name`; names compare case-insensitively, as in HTTP (RFC 7230, 3.2).
std::optional<std::string_view> find_header(std::span<const HeaderField> headers, std::string_view name);
bool equals_ignoring_case(std::string_view a, std::string_view b);
// True for a non-empty run of ASCII digits and nothing else.
bool all_digits(std::string_view text);
// Without leading and trailing spaces and tabs.
std::string_view trim(std::string_view text);
// A bit of a bad line for an error message, short enough for a log line.
std::string quoted(std::string_view text);

// The code and reason of a response's start line, after its protocol and version.
struct StatusCode {
  int code = 0;
  std::string reason;
};
// "200 OK" -> {200, "OK"}: three digits from 100 to 599, then nothing or a space and a reason.
std::optional<StatusCode> parse_status(std::string_view rest);

// The caps an untrusted peer's head must respect, and what to call it in errors ("handshake", "HTTP").
struct HeadLimits {
  std::size_t max_line;
  std::size_t max_headers;
  std::size_t max_bytes;
  std::string_view what;
};

// Reads a head line by line (each line with its CRLF, as LineFramer cuts it). The GDF 0.6 draft says its
// handshake headers "follow the HTTP header format", so both protocols share these rules: lines end in CRLF,
// carry no control byte but tab, headers are `token ":" value`, a line starting with a space or tab continues
// the previous header (folding), and the line, header and byte counts are capped. The start line is left to
// the caller, which knows its protocol's grammar.
class HeadReader {
 public:
  enum class LineKind { Start, Header, End };
  struct Line {
    LineKind kind;
    std::string_view text;  // the start line without its CRLF (empty for the other kinds)
  };

  explicit HeadReader(HeadLimits limits) : limits_(limits) {}

  // What the line was; a header line is parsed into the headers. An error means the head is malformed and
  // the connection should be closed; the reader is then reset.
  Expected<Line> feed(ByteView line);
  // The headers read since the start line; the reader is then ready for the next head.
  std::vector<HeaderField> take_headers();
  void reset();

 private:
  Status header_line(std::string_view line);

  HeadLimits limits_;
  bool started_ = false;
  std::size_t bytes_ = 0;
  std::vector<HeaderField> headers_;
};

// Reads a whole head from text (tests, tools) with `parser`, a head parser fed line by line as LineFramer(
// max_line) cuts them (http::Parser, gnutella::HandshakeParser); fails on anything but exactly one head.
// `what` names the text in errors.
template <typename Head, typename LineParser>
Expected<Head> parse_one_head(std::string_view text, LineParser parser, std::size_t max_line,
                              std::string_view what) {
  LineFramer framer(max_line);
  ByteView rest = as_bytes(text);
  while (!rest.empty()) {
    auto size = framer.next(rest);
    if (!size) return size.error();
    if (*size == 0) return make_error(std::string(what) + " text ends inside a line");
    auto fed = parser.feed(rest.first(*size));
    if (!fed) return fed.error();
    rest = rest.subspan(*size);
    if (fed->has_value()) {
      if (!rest.empty()) return make_error(std::string(what) + " text continues after the blank line");
      return std::move(**fed);
    }
  }
  return make_error(std::string(what) + " text ends before its blank line");
}

}  // namespace p2p::http
