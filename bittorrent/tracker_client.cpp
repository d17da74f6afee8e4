// TrackerClient: announce URLs, one GET per announce, answers parsed and re-announces scheduled.
#include "bittorrent/tracker_client.h"

#include <charconv>

namespace p2p::bittorrent {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;

}  // namespace

Expected<AnnounceUrl> parse_announce_url(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) return make_error("announce URL '" + std::string(url) + "' is not http://");
  std::string_view rest = url.substr(kScheme.size());
  std::size_t slash = std::min(rest.find('/'), rest.size());
  std::string_view authority = rest.substr(0, slash);
  AnnounceUrl out;
  out.target = slash < rest.size() ? std::string(rest.substr(slash)) : "/";
  std::size_t colon = authority.rfind(':');
  std::string_view host = authority.substr(0, colon);
  std::uint16_t port = 80;
  if (colon != std::string_view::npos) {
    std::string_view digits = authority.substr(colon + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || port == 0) {
      return make_error("announce URL '" + std::string(url) + "' has a bad port");
    }
  }
  out.endpoint = Endpoint{host == "localhost" ? "127.0.0.1" : std::string(host), port};
  if (out.endpoint.ipv4() == 0) {
    return make_error("announce URL host '" + std::string(host) + "' is not an IPv4 address or localhost");
  }
  return out;
}

TrackerClient::TrackerClient(Runtime& runtime, TrackerClientConfig config, Totals totals, OnPeers on_peers)
    : runtime_(runtime),
      config_(std::move(config)),
      totals_(std::move(totals)),
      on_peers_(std::move(on_peers)),
      interval_(config_.default_interval) {}

void TrackerClient::announce(AnnounceEvent event) {
  if (stopped_) return;
  runtime_.cancel(next_);
  next_ = TimerId{};
  ConnId conn = runtime_.connect(config_.url.endpoint);
  TimerId timeout =
      runtime_.after(config_.timeout, [this, conn] { runtime_.close(conn, "tracker timeout"); });
  pending_.emplace(conn, Pending{event, HttpResponseReader(), timeout});
}

void TrackerClient::stop(std::function<void()> done) {
  announce(AnnounceEvent::Stopped);
  stopped_ = true;
  runtime_.cancel(next_);
  on_stopped_ = std::move(done);
}

std::vector<ConnId> TrackerClient::abandon() {
  stopped_ = true;
  runtime_.cancel(next_);
  std::vector<ConnId> closed;
  for (const auto& [conn, pending] : pending_) {
    runtime_.cancel(pending.timeout);
    runtime_.close(conn, "tracker abandoned");
    closed.push_back(conn);
  }
  pending_.clear();
  return closed;
}

void TrackerClient::on_connected(ConnId conn) {
  auto it = pending_.find(conn);
  if (it == pending_.end()) return;
  runtime_.set_framer(conn, std::make_unique<ChunkFramer>(kReadChunk));
  TransferTotals totals = totals_();
  AnnounceRequest request;
  request.info_hash = config_.info_hash;
  request.peer_id = config_.peer_id;
  request.port = config_.port;
  request.uploaded = totals.uploaded;
  request.downloaded = totals.downloaded;
  request.left = totals.left;
  request.event = it->second.event;
  request.compact = true;
  request.numwant = it->second.event == AnnounceEvent::Stopped ? 0 : config_.numwant;
  const std::string& base = config_.url.target;
  std::string target = base + (base.find('?') == std::string::npos ? '?' : '&') + announce_query(request);
  runtime_.send(conn, format_http_get(target, config_.url.endpoint.str(), config_.user_agent));
}

void TrackerClient::on_frame(ConnId conn, ByteView frame) {
  auto it = pending_.find(conn);
  if (it == pending_.end()) return;
  auto response = it->second.reader.feed(frame);
  if (!response) {
    finish(conn, response.error());
  } else if (*response) {
    finish(conn, std::move(**response));
  }
}

void TrackerClient::on_closed(ConnId conn, std::string_view reason) {
  auto it = pending_.find(conn);
  if (it == pending_.end()) return;
  // A tracker that answers without Content-Length ends its body by closing: that is the normal end.
  finish(conn, reason == "closed by peer" ? it->second.reader.finish()
                                          : Expected<HttpResponseMessage>(make_error(std::string(reason))));
}

void TrackerClient::finish(ConnId conn, Expected<HttpResponseMessage> response) {
  auto node = pending_.extract(conn);
  runtime_.cancel(node.mapped().timeout);
  runtime_.close(conn, "announce done");
  AnnounceEvent event = node.mapped().event;
  if (!response) return failed(event, response.reason());
  if (response->status != 200) return failed(event, "HTTP status " + std::to_string(response->status));
  auto answer = parse_announce_response(as_bytes(response->body));
  if (!answer) return failed(event, answer.reason());
  if (const auto* failure = std::get_if<TrackerFailure>(&*answer)) {
    return failed(event, "failure reason: " + failure->reason);
  }
  succeeded(event, std::get<AnnounceResponse>(*answer));
}

void TrackerClient::succeeded(AnnounceEvent event, const AnnounceResponse& response) {
  ++announces_;
  // An interval under a second would make the client hammer the tracker; it stays the tracker's choice above.
  interval_ = std::max<Duration>(std::chrono::seconds(std::max<std::int64_t>(response.interval, 1)),
                                 std::chrono::seconds(response.min_interval.value_or(0)));
  runtime_.telemetry().event("tracker_announce", {{"event", event_name(event)},
                                                  {"peers", response.peers.size()},
                                                  {"seeds", response.complete},
                                                  {"leechers", response.incomplete},
                                                  {"interval", to_seconds(interval_)}});
  if (event == AnnounceEvent::Stopped) {
    if (on_stopped_) std::exchange(on_stopped_, nullptr)();
    return;
  }
  on_peers_(response.peers);
  schedule(interval_, AnnounceEvent::None);
}

void TrackerClient::failed(AnnounceEvent event, const std::string& reason) {
  ++failures_;
  runtime_.telemetry().event("tracker_error", {{"event", event_name(event)}, {"reason", reason}});
  if (event == AnnounceEvent::Stopped) {
    if (on_stopped_) std::exchange(on_stopped_, nullptr)();
    return;
  }
  schedule(config_.retry, event);
}

void TrackerClient::schedule(Duration delay, AnnounceEvent event) {
  if (stopped_) return;
  runtime_.cancel(next_);
  next_ = runtime_.after(delay, [this, event] {
    next_ = TimerId{};
    announce(event);
  });
}

}  // namespace p2p::bittorrent
