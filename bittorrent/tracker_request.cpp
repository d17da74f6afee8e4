// Tracker request targets: parsing the query string strictly, and building it for the client.
#include "bittorrent/tracker_request.h"

#include <algorithm>
#include <charconv>

#include "common/util/encoding.h"

namespace p2p::bittorrent {
namespace {

Error refuse(const std::string& why) {
  return make_error("tracker request: " + why);
}

// Decodes one %-escaped 20-byte field (info_hash, peer_id).
template <typename Array>
Expected<Array> twenty_bytes(std::string_view name, std::string_view value) {
  auto decoded = percent_decode(value);
  if (!decoded) return refuse(std::string(name) + " has a broken %-escape");
  if (decoded->size() != 20) {
    return refuse(std::string(name) + " is " + std::to_string(decoded->size()) + " bytes (expected 20)");
  }
  Array out{};
  std::ranges::copy(*decoded, out.begin());
  return out;
}

template <typename T>
Expected<T> number(std::string_view name, std::string_view value, T max) {
  T out{};
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size() || out > max) {
    return refuse(std::string(name) + " is not a number up to " + std::to_string(max));
  }
  return out;
}

Expected<AnnounceEvent> parse_event(std::string_view value) {
  for (AnnounceEvent event :
       {AnnounceEvent::None, AnnounceEvent::Started, AnnounceEvent::Completed, AnnounceEvent::Stopped}) {
    if (value == event_name(event)) return event;
  }
  // Some clients send "paused" (BEP 21 partial seeds); it changes nothing for this tracker.
  if (value == "paused") return AnnounceEvent::None;
  return refuse("unknown event '" + std::string(value.substr(0, 32)) + "'");
}

// Calls fn(name, value) for each name=value pair of a query string.
template <typename Fn>
Status each_parameter(std::string_view query, Fn&& fn) {
  while (!query.empty()) {
    std::size_t amp = std::min(query.find('&'), query.size());
    std::string_view pair = query.substr(0, amp);
    query.remove_prefix(std::min(amp + 1, query.size()));
    if (pair.empty()) continue;
    std::size_t eq = std::min(pair.find('='), pair.size());
    std::string_view value = eq < pair.size() ? pair.substr(eq + 1) : std::string_view{};
    if (Status ok = fn(pair.substr(0, eq), value); !ok) return ok;
  }
  return Ok{};
}

constexpr std::uint64_t kMaxCounter = std::uint64_t{1} << 62;

Expected<TrackerRequest> parse_announce(std::string_view query) {
  AnnounceRequest out;
  bool has_hash = false, has_peer = false, has_port = false;
  Status status = each_parameter(query, [&](std::string_view name, std::string_view value) -> Status {
    if (name == "info_hash") {
      auto hash = twenty_bytes<Sha1Digest>(name, value);
      if (!hash) return hash.error();
      out.info_hash = *hash;
      has_hash = true;
    } else if (name == "peer_id") {
      auto id = twenty_bytes<PeerId>(name, value);
      if (!id) return id.error();
      out.peer_id = *id;
      has_peer = true;
    } else if (name == "port") {
      auto port = number<std::uint16_t>(name, value, 65535);
      if (!port) return port.error();
      if (*port == 0) return refuse("port is 0");
      out.port = *port;
      has_port = true;
    } else if (name == "uploaded" || name == "downloaded" || name == "left") {
      auto n = number<std::uint64_t>(name, value, kMaxCounter);
      if (!n) return n.error();
      (name == "uploaded" ? out.uploaded : name == "downloaded" ? out.downloaded : out.left) = *n;
    } else if (name == "event") {
      auto event = parse_event(value);
      if (!event) return event.error();
      out.event = *event;
    } else if (name == "compact") {
      out.compact = value == "1";
    } else if (name == "no_peer_id") {
      out.no_peer_id = value == "1";
    } else if (name == "numwant") {
      auto n = number<std::uint32_t>(name, value, UINT32_MAX);
      if (!n) return n.error();
      out.numwant = std::min(*n, kMaxNumwant);
    }
    return Ok{};
  });
  if (!status) return status.error();
  if (!has_hash) return refuse("missing info_hash");
  if (!has_peer) return refuse("missing peer_id");
  if (!has_port) return refuse("missing port");
  return TrackerRequest(out);
}

Expected<TrackerRequest> parse_scrape(std::string_view query) {
  ScrapeRequest out;
  Status status = each_parameter(query, [&](std::string_view name, std::string_view value) -> Status {
    if (name != "info_hash") return Ok{};
    if (out.info_hashes.size() == kMaxNumwant) return refuse("too many info_hash parameters");
    auto hash = twenty_bytes<Sha1Digest>(name, value);
    if (!hash) return hash.error();
    out.info_hashes.push_back(*hash);
    return Ok{};
  });
  if (!status) return status.error();
  return TrackerRequest(out);
}

}  // namespace

std::string_view event_name(AnnounceEvent event) {
  switch (event) {
    case AnnounceEvent::None:
      return "";
    case AnnounceEvent::Started:
      return "started";
    case AnnounceEvent::Completed:
      return "completed";
    case AnnounceEvent::Stopped:
      return "stopped";
  }
  return "";
}

Expected<TrackerRequest> parse_tracker_target(std::string_view target) {
  std::size_t question = std::min(target.find('?'), target.size());
  std::string_view path = target.substr(0, question);
  std::string_view query = question < target.size() ? target.substr(question + 1) : std::string_view{};
  std::string_view last = path.substr(std::min(path.rfind('/'), path.size()));
  if (last == "/announce") return parse_announce(query);
  if (last == "/scrape") return parse_scrape(query);
  return refuse("unknown path '" + std::string(path.substr(0, 64)) + "' (expected /announce or /scrape)");
}

std::string announce_query(const AnnounceRequest& request) {
  std::string out =
      "info_hash=" + percent_encode(request.info_hash) + "&peer_id=" + percent_encode(request.peer_id) +
      "&port=" + std::to_string(request.port) + "&uploaded=" + std::to_string(request.uploaded) +
      "&downloaded=" + std::to_string(request.downloaded) + "&left=" + std::to_string(request.left);
  if (request.event != AnnounceEvent::None) out += "&event=" + std::string(event_name(request.event));
  if (request.compact) out += "&compact=1";
  if (request.no_peer_id) out += "&no_peer_id=1";
  out += "&numwant=" + std::to_string(request.numwant);
  return out;
}

}  // namespace p2p::bittorrent
