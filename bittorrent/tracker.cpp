// Tracker: HTTP requests in, bencoded announce and scrape answers out, on one-shot or persistent connections.
#include "bittorrent/tracker.h"

#include "common/util/encoding.h"

namespace p2p::bittorrent {
namespace {

constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::string_view kBencode = "text/plain";  // what opentracker and most trackers send

std::int64_t whole_seconds(Duration d) {
  return std::chrono::duration_cast<std::chrono::seconds>(d).count();
}

}  // namespace

Tracker::Tracker(Runtime& runtime, TrackerConfig config)
    : runtime_(runtime),
      config_(std::move(config)),
      registry_(config_.registry),
      announce_rate_(runtime.now()) {
  for (const Sha1Digest& hash : config_.torrents) registry_.add_torrent(hash);
}

void Tracker::on_start() {
  // Expiry is checked a few times per timeout, and idle connections every second.
  Duration expiry_period = std::max<Duration>(std::chrono::seconds(1), config_.registry.peer_timeout / 4);
  runtime_.every(expiry_period, [this] { registry_.expire(runtime_.now()); });
  runtime_.every(std::chrono::seconds(1), [this] { sweep(); });
}

std::unique_ptr<Framer> Tracker::framer_for(ConnId, bool) {
  return std::make_unique<ChunkFramer>(kReadChunk);
}

void Tracker::on_connected(ConnId conn, bool inbound, const Endpoint& remote) {
  if (!inbound) {
    runtime_.close(conn, "tracker dials nobody");
    return;
  }
  clients_.emplace(conn, Client{remote.ipv4(), runtime_.now(), HttpRequestReader()});
}

void Tracker::on_frame(ConnId conn, ByteView frame) {
  auto it = clients_.find(conn);
  if (it == clients_.end()) return;  // answered and closing; the rest of its bytes are ignored
  // One frame may end a request and carry the next ones (HTTP/1.1 pipelining); each is answered in turn.
  for (ByteView bytes = frame;; bytes = {}) {
    Client& client = it->second;
    auto head = client.reader.feed(bytes);
    if (!head) {
      ++bad_requests_;
      reply(conn, 400, "Bad Request", encode_failure(head.reason()), HttpConnection::Close);
      return;
    }
    if (!*head) return;  // the head is not whole yet
    if (answer(conn, client, **head) == HttpConnection::Close) return;
    client.reader.next();
    client.since = runtime_.now();
  }
}

void Tracker::on_closed(ConnId conn, std::string_view) {
  clients_.erase(conn);
}

HttpConnection Tracker::answer(ConnId conn, const Client& client, const HttpRequestHead& head) {
  auto request = head.method == "GET" ? parse_tracker_target(head.target)
                                      : Expected<TrackerRequest>(make_error("only GET is served"));
  if (!request) {
    ++bad_requests_;
    reply(conn, 400, "Bad Request", encode_failure(request.reason()), HttpConnection::Close);
    return HttpConnection::Close;
  }
  Bytes body;
  if (const auto* announce_request = std::get_if<AnnounceRequest>(&*request)) {
    body = announce(*announce_request, client.address);
  } else {
    ++scrapes_;
    body = encode_scrape_response(registry_.scrape(std::get<ScrapeRequest>(*request).info_hashes));
  }
  HttpConnection connection = head.keep_alive ? HttpConnection::KeepAlive : HttpConnection::Close;
  reply(conn, 200, "OK", body, connection);
  return connection;
}

Bytes Tracker::announce(const AnnounceRequest& request, std::uint32_t address) {
  ++announces_;
  announce_rate_.add(1, runtime_.now());
  auto answer = registry_.announce(request, address, runtime_.now(), runtime_.random());
  if (!answer) {
    ++failures_;
    return encode_failure(answer.reason());
  }
  AnnounceResponse response;
  response.interval = whole_seconds(config_.interval);
  response.min_interval = whole_seconds(config_.min_interval);
  response.complete = answer->complete;
  response.incomplete = answer->incomplete;
  response.peers = std::move(answer->peers);
  return encode_announce_response(response, request.compact, !request.no_peer_id);
}

void Tracker::reply(ConnId conn, int status, std::string_view reason, ByteView body,
                    HttpConnection connection) {
  runtime_.send(conn, format_http_response(status, reason, kBencode, body, connection));
  if (connection == HttpConnection::KeepAlive) return;
  clients_.erase(conn);
  runtime_.close(conn, status == 200 ? "request served" : "bad request");
}

void Tracker::sweep() {
  TimePoint now = runtime_.now();
  std::vector<ConnId> late;
  for (const auto& [conn, client] : clients_) {
    if (now - client.since >= config_.request_timeout) late.push_back(conn);
  }
  for (ConnId conn : late) {
    clients_.erase(conn);
    runtime_.close(conn, "request timeout");
  }
}

nlohmann::json Tracker::status() const {
  std::size_t peers = registry_.peers(), seeds = registry_.seeds();
  nlohmann::json swarms = nlohmann::json::array();
  // A lab tracks a torrent or two; an open tracker hammered with random hashes lists only the first few.
  for (const ScrapeFile& file : registry_.scrape({})) {
    if (swarms.size() == 32) break;
    swarms.push_back({{"info_hash", to_hex(file.info_hash)},
                      {"seeds", file.complete},
                      {"leechers", file.incomplete},
                      {"downloaded", file.downloaded}});
  }
  return {{"torrents", registry_.torrents()},
          {"peers", peers},
          {"seeds", seeds},
          {"leechers", peers - seeds},
          {"announces", announces_},
          {"announces_per_s", announce_rate_.rate(runtime_.now())},
          {"scrapes", scrapes_},
          {"failures", failures_},
          {"bad_requests", bad_requests_},
          {"swarms", std::move(swarms)}};
}

}  // namespace p2p::bittorrent
