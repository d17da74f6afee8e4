// File requests over HTTP: their targets and heads.
#include "common/http/file_requests.h"

#include <algorithm>
#include <charconv>

#include "common/util/encoding.h"

namespace p2p::http {
namespace {

constexpr std::string_view kGetPrefix = "/get/";
constexpr std::string_view kHashPrefix = "/.hash=";

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

}  // namespace

Expected<GetTarget> parse_get_target(std::string_view target) {
  if (!target.starts_with(kGetPrefix))
    return make_error("not a /get/<index>/<name> target: " + quoted(target));
  target.remove_prefix(kGetPrefix.size());
  std::size_t slash = target.find('/');
  std::string_view digits = target.substr(0, slash);
  std::uint32_t index = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  if (slash == std::string_view::npos || !all_digits(digits) || error != std::errc{} ||
      end != digits.data() + digits.size()) {
    return make_error("bad file index in /get/ target " + quoted(target));
  }
  auto name = percent_decode(target.substr(slash + 1));
  if (!name) return make_error("broken %-escape in /get/ target " + quoted(target));
  if (name->empty()) return make_error("no file name in /get/ target");
  return GetTarget{index, std::string(as_chars(*name))};
}

std::string get_target(const GetTarget& file) {
  return std::string(kGetPrefix) + std::to_string(file.index) + "/" + percent_encode(as_bytes(file.name));
}

Expected<Sha1Digest> parse_hash_target(std::string_view target) {
  if (!target.starts_with(kHashPrefix)) return make_error("not a /.hash=<hex> target: " + quoted(target));
  std::string_view hex = target.substr(kHashPrefix.size());
  auto bytes = from_hex(hex);
  Sha1Digest hash{};
  if (!bytes || bytes->size() != hash.size())
    return make_error("expected 40 hex digits in /.hash= target " + quoted(target));
  std::copy(bytes->begin(), bytes->end(), hash.begin());
  return hash;
}

std::string hash_target(const Sha1Digest& hash) {
  return std::string(kHashPrefix) + to_hex(hash);
}

Request file_request(std::string target, const Endpoint& host, std::string_view user_agent) {
  return Request{"GET",
                 std::move(target),
                 1,
                 {{"User-Agent", std::string(user_agent)}, {"Host", host.str()}, {"Connection", "close"}}};
}

Response file_response(std::uint64_t content_length, std::string_view server) {
  return Response{1,
                  200,
                  "OK",
                  {{"Server", std::string(server)},
                   {"Content-Type", "application/binary"},
                   {"Content-Length", std::to_string(content_length)},
                   {"Connection", "close"}}};
}

Response refusal(int status, std::string_view server) {
  return Response{1,
                  status,
                  std::string(reason_phrase(status)),
                  {{"Server", std::string(server)}, {"Content-Length", "0"}, {"Connection", "close"}}};
}

}  // namespace p2p::http
