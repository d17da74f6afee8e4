// The Gnutella servent: its links and their handshakes, the descriptors it routes, and its own queries.
#include "gnutella/servent.h"

#include <algorithm>
#include <cassert>

#include "common/http/file_requests.h"
#include "gnutella/descriptor_framer.h"
#include "gnutella/get_requests.h"
#include "gnutella/handshake.h"

namespace p2p::gnutella {
namespace {

constexpr std::string_view kGetLine = "GET ";
// The first line of an inbound connection is cut before the servent knows its protocol: the larger cap.
constexpr std::size_t kFirstLineCap = std::max(kMaxHandshakeLine, http::kMaxLine);
// The speed a QueryHit advertises, in kbit/s: informational only, nothing here selects on it.
constexpr std::uint32_t kAdvertisedSpeed = 1000;

std::string peer_name(const std::optional<Endpoint>& peer, const Endpoint& remote) {
  return peer ? peer->str() : remote.str();
}

}  // namespace

Servent::Servent(Runtime& runtime, ServentConfig config)
    : runtime_(runtime),
      config_(std::move(config)),
      self_(runtime.local_endpoint()),
      servent_id_(make_guid(runtime.random())),
      overlay_(self_, config_.overlay),
      router_([&] {
        // The servent's own TTL must survive its own router's cap on TTL + hops.
        Router::Config router = config_.router;
        router.max_ttl = std::max(router.max_ttl, config_.ttl);
        return router;
      }()),
      pongs_(config_.pong_cache),
      files_(config_.catalogue, config_.free_rider ? std::vector<std::size_t>{} : config_.shared),
      queries_(config_.query_window),
      uploads_(
          runtime, [this](std::string_view target) { return resolve_get(files_, target); },
          config_.user_agent, config_.uploads),
      downloads_(
          runtime, config_.catalogue, config_.user_agent,
          [this](const Endpoint& uploader) { return dial(uploader, LinkKind::Download); },
          [this](std::size_t index) {
            if (!config_.free_rider) files_.add(index);
          },
          config_.downloads) {
  assert(config_.catalogue != nullptr);
  if (config_.query_rate > 0) workload_.emplace(*config_.catalogue);
}

void Servent::on_start() {
  overlay_.start(runtime_.now());
  maintain();
  maintenance_timer_ = runtime_.every(config_.maintenance_interval, [this] { maintain(); });
  schedule_query();
}

// --- links ---

// Runtimes may ask for the framer from inside connect(), before the id is known: `dialling_` says what the
// connection is for.
ConnId Servent::dial(const Endpoint& remote, LinkKind kind) {
  dialling_ = kind;
  ConnId conn = runtime_.connect(remote);
  std::optional<Endpoint> peer;
  if (kind == LinkKind::Handshaking) peer = remote;
  links_[conn] = Link{kind, false, remote, peer, std::nullopt, runtime_.now()};
  return conn;
}

std::unique_ptr<Framer> Servent::framer_for(ConnId conn, bool inbound) {
  if (inbound) return std::make_unique<LineFramer>(kFirstLineCap);
  auto it = links_.find(conn);
  LinkKind kind = it == links_.end() ? dialling_ : it->second.kind;
  return std::make_unique<LineFramer>(kind == LinkKind::Download ? http::kMaxLine : kMaxHandshakeLine);
}

void Servent::on_connected(ConnId conn, bool inbound, const Endpoint& remote) {
  if (inbound) {
    links_[conn] =
        Link{LinkKind::AwaitingFirstLine, true, remote, std::nullopt, std::nullopt, runtime_.now()};
    return;
  }
  auto it = links_.find(conn);
  if (it == links_.end()) return;
  Link& link = it->second;
  if (link.kind == LinkKind::Download) {
    downloads_.on_connected(conn);
  } else if (leaving_) {
    close_link(conn, "leaving");
  } else {
    link.handshake = HandshakeSession::client(servent_headers(config_.user_agent, self_));
    runtime_.send(conn, to_bytes(link.handshake->opening()));
  }
}

void Servent::on_frame(ConnId conn, ByteView frame) {
  auto it = links_.find(conn);
  if (it == links_.end()) return;
  Link& link = it->second;
  switch (link.kind) {
    case LinkKind::AwaitingFirstLine:
      if (as_chars(frame).starts_with(kGetLine)) {
        link.kind = LinkKind::Upload;
        uploads_.begin(conn, link.remote, frame);
        return;
      }
      link.kind = LinkKind::Handshaking;
      link.handshake = HandshakeSession::server(servent_headers(config_.user_agent, self_));
      on_handshake_line(conn, link, frame);
      return;
    case LinkKind::Handshaking:
      on_handshake_line(conn, link, frame);
      return;
    case LinkKind::Neighbour:
      on_descriptor(conn, frame);
      return;
    case LinkKind::Upload:
      uploads_.on_frame(conn, frame);
      return;
    case LinkKind::Download:
      downloads_.on_frame(conn, frame);
      return;
  }
}

void Servent::on_handshake_line(ConnId conn, Link& link, ByteView line) {
  HandshakeSession& session = *link.handshake;
  auto admit = [&](const HandshakeSession& s) {
    if (leaving_) return HandshakeSession::Admission{false, "leaving", {}};
    std::vector<Endpoint> connected;
    for (ConnId n : neighbours_) {
      if (const auto& peer = links_.at(n).peer) connected.push_back(*peer);
    }
    return overlay_.admit(s.peer_listen(), neighbour_links() - 1, connected, linked_hosts());
  };
  HandshakeSession::Step step = session.feed(line, admit);
  if (!step.send.empty()) runtime_.send(conn, to_bytes(step.send));
  // The peer's message, whole, tells where it listens and which other hosts it knows.
  if (session.state() != HandshakeSession::State::AwaitingConnect &&
      session.state() != HandshakeSession::State::AwaitingResponse && !link.learnt) {
    link.learnt = true;
    TimePoint now = runtime_.now();
    if (link.inbound && session.peer_listen()) link.peer = session.peer_listen();
    if (link.peer) overlay_.learn(*link.peer, now);
    for (const Endpoint& host : session.suggested()) overlay_.learn(host, now);
  }
  if (step.close) {
    close_link(conn, *step.close);
  } else if (step.established) {
    runtime_.set_framer(conn, std::make_unique<DescriptorFramer>());
    become_neighbour(conn, link);
  }
}

void Servent::become_neighbour(ConnId conn, Link& link) {
  if (link.peer) {
    // Two servents that dialled each other at once: both ends keep the same one of the two links.
    auto twin = std::find_if(neighbours_.begin(), neighbours_.end(),
                             [&](ConnId n) { return links_.at(n).peer == link.peer; });
    if (twin != neighbours_.end()) {
      if (!overlay_.keeps_duplicate(!link.inbound, *link.peer)) {
        close_link(conn, "duplicate link");
        return;
      }
      close_link(*twin, "duplicate link");
    }
    if (!link.inbound) overlay_.dial_succeeded(*link.peer, runtime_.now());
  }
  link.kind = LinkKind::Neighbour;
  link.handshake.reset();
  link.since = runtime_.now();
  neighbours_.push_back(conn);
  runtime_.telemetry().event("neighbour_up", {{"peer", peer_name(link.peer, link.remote)},
                                              {"inbound", link.inbound},
                                              {"neighbours", neighbours_.size()}});
  ping(conn);
}

void Servent::close_link(ConnId conn, const std::string& reason) {
  auto it = links_.find(conn);
  if (it == links_.end()) return;
  Link link = std::move(it->second);
  links_.erase(it);
  runtime_.close(conn, reason);
  link_lost(conn, link, reason);
}

void Servent::on_closed(ConnId conn, std::string_view reason) {
  auto it = links_.find(conn);
  if (it == links_.end()) return;
  Link link = std::move(it->second);
  links_.erase(it);
  link_lost(conn, link, reason);
}

void Servent::link_lost(ConnId conn, const Link& link, std::string_view reason) {
  std::string peer = peer_name(link.peer, link.remote);
  if (link.kind == LinkKind::Upload) {
    uploads_.on_closed(conn, reason);
  } else if (link.kind == LinkKind::Download) {
    downloads_.on_closed(conn, reason);
  } else if (link.kind == LinkKind::Handshaking) {
    if (!link.inbound && link.peer) overlay_.dial_failed(*link.peer);
    runtime_.telemetry().event("handshake_failed",
                               {{"peer", peer}, {"inbound", link.inbound}, {"reason", reason}});
  } else if (link.kind == LinkKind::Neighbour) {
    std::erase(neighbours_, conn);
    router_.forget_connection(conn);
    pongs_.forget_connection(conn);
    runtime_.telemetry().event("neighbour_down",
                               {{"peer", peer}, {"reason", reason}, {"neighbours", neighbours_.size()}});
  }
}

std::vector<Endpoint> Servent::linked_hosts() const {
  std::vector<Endpoint> hosts;
  for (const auto& [conn, link] : links_) {
    bool overlay_link = link.kind == LinkKind::Handshaking || link.kind == LinkKind::Neighbour;
    if (overlay_link && link.peer) hosts.push_back(*link.peer);
  }
  return hosts;
}

std::size_t Servent::neighbour_links() const {
  return static_cast<std::size_t>(std::count_if(links_.begin(), links_.end(), [](const auto& entry) {
    return entry.second.kind == LinkKind::Handshaking || entry.second.kind == LinkKind::Neighbour;
  }));
}

void Servent::maintain() {
  TimePoint now = runtime_.now();
  std::vector<ConnId> late;
  for (const auto& [conn, link] : links_) {
    bool opening = link.kind == LinkKind::AwaitingFirstLine || link.kind == LinkKind::Handshaking;
    if (opening && now - link.since > config_.handshake_timeout) late.push_back(conn);
  }
  for (ConnId conn : late) close_link(conn, "handshake timed out");
  if (!leaving_) {
    for (const Endpoint& host : overlay_.to_dial(runtime_.random(), linked_hosts(), neighbour_links(), now)) {
      dial(host, LinkKind::Handshaking);
    }
  }
  if (!neighbours_.empty() && pongs_.refresh_due(now)) {
    for (ConnId conn : neighbours_) ping(conn);
    pongs_.mark_refreshed(now);
  }
  close_queries();
}

// --- descriptors ---

void Servent::send_descriptor(ConnId conn, const Guid& guid, std::uint8_t ttl, std::uint8_t hops,
                              const Payload& payload) {
  auto bytes = encode_descriptor(guid, ttl, hops, payload);
  if (!bytes) {
    runtime_.log(LogLevel::Warn, "cannot encode a descriptor: " + bytes.reason());
    return;
  }
  runtime_.send(conn, std::move(bytes).value());
  traffic_.sent(payload_type(payload));
}

std::size_t Servent::forward(ByteView frame, PayloadType type, const RouteDecision& decision) {
  if (decision.forward_to.empty()) return 0;
  Bytes copy = with_ttl_and_hops(frame, decision.ttl, decision.hops);
  for (ConnId conn : decision.forward_to) runtime_.send(conn, copy);
  traffic_.sent(type, decision.forward_to.size());
  return decision.forward_to.size();
}

void Servent::ping(ConnId conn) {
  Guid guid = make_guid(runtime_.random());
  router_.originate(PayloadType::Ping, guid, runtime_.now());
  send_descriptor(conn, guid, kDefaultTtl, 0, Ping{});
}

Pong Servent::own_pong() const {
  return Pong{self_.port, self_.ipv4(), static_cast<std::uint32_t>(files_.size()),
              static_cast<std::uint32_t>(std::min<std::uint64_t>(files_.total_bytes() / 1024, UINT32_MAX))};
}

void Servent::on_descriptor(ConnId conn, ByteView frame) {
  // Servents extend Gnutella with message types of their own (GDF Gnutella 0.6, 1.4), so a type this one
  // does not know is dropped rather than taken for a broken stream; anything else that fails to decode is.
  if (has_unknown_type(frame)) {
    traffic_.dropped(DropReason::UnknownType);
    return;
  }
  auto descriptor = decode_descriptor(frame);
  if (!descriptor) {
    traffic_.malformed();
    close_link(conn, "bad descriptor: " + descriptor.reason());
    return;
  }
  const Header& header = descriptor->header;
  traffic_.received(header.type);
  RouteDecision decision = router_.route(header, conn, neighbours_, runtime_.now());
  if (decision.dropped()) {
    traffic_.dropped(decision.drop);
    return;
  }
  const Payload& payload = descriptor->payload;
  if (std::holds_alternative<Ping>(payload)) {
    on_ping(conn, header);
  } else if (const auto* pong = std::get_if<Pong>(&payload)) {
    on_pong(conn, header, *pong, decision, frame);
  } else if (const auto* query = std::get_if<Query>(&payload)) {
    on_query(conn, header, *query, decision, frame);
  } else if (const auto* hit = std::get_if<QueryHit>(&payload)) {
    on_query_hit(header, *hit, decision, frame);
  } else if (const auto* bye = std::get_if<Bye>(&payload)) {
    close_link(conn, "bye from peer: " + std::to_string(bye->code) + " " + bye->message);
  }
}

// Pong caching (GDF 2.2.4.1): a ping is answered here, with this servent's pong and, unless it is a
// handshake ping, pongs from the cache; it is never forwarded, whatever its TTL.
void Servent::on_ping(ConnId conn, const Header& header) {
  std::uint8_t ttl = Router::reply_ttl(header);
  send_descriptor(conn, header.guid, ttl, 0, own_pong());
  if (is_handshake_ping(header)) return;
  for (const CachedPong& cached : pongs_.answer(conn, runtime_.now())) {
    auto hops = static_cast<std::uint8_t>(std::min<int>(cached.hops + 1, kMaxTtl));
    send_descriptor(conn, header.guid, ttl, hops, cached.pong);
  }
}

void Servent::on_pong(ConnId conn, const Header& header, const Pong& pong, const RouteDecision& decision,
                      ByteView frame) {
  overlay_.learn(pong.endpoint(), runtime_.now());
  if (decision.deliver) pongs_.add(conn, pong, header.hops, runtime_.now());
  forward(frame, PayloadType::Pong, decision);
}

void Servent::on_query(ConnId conn, const Header& header, const Query& query, const RouteDecision& decision,
                       ByteView frame) {
  std::size_t forwarded = forward(frame, PayloadType::Query, decision);
  ++queries_seen_;
  std::vector<std::size_t> matches = files_.search(query.search, config_.max_results_per_hit);
  if (!matches.empty()) {
    QueryHit hit{self_.port, self_.ipv4(), kAdvertisedSpeed, {}, {}, servent_id_};
    for (std::size_t index : matches) {
      const content::FileEntry& file = config_.catalogue->file(index);
      hit.results.push_back({static_cast<std::uint32_t>(index),
                             static_cast<std::uint32_t>(std::min<std::uint64_t>(file.size, UINT32_MAX)),
                             file.name,
                             {}});
    }
    send_descriptor(conn, header.guid, Router::reply_ttl(header), 0, hit);
    ++hits_sent_;
  }
  if (config_.report_query_seen) {
    // hops counts this servent's distance from the originator: 1 for its neighbours.
    runtime_.telemetry().event("query_seen", {{"guid", to_hex(header.guid)},
                                              {"hops", header.hops + 1},
                                              {"ttl", header.ttl},
                                              {"forwarded", forwarded},
                                              {"results", matches.size()}});
  }
}

void Servent::on_query_hit(const Header& header, const QueryHit& hit, const RouteDecision& decision,
                           ByteView frame) {
  forward(frame, PayloadType::QueryHit, decision);
  if (!decision.deliver) return;
  QueryRecord* record = queries_.hit(header.guid, hit, runtime_.now());
  if (record == nullptr) return;
  ++hits_received_;
  runtime_.telemetry().event("query_hit", {{"guid", to_hex(header.guid)},
                                           {"from", hit.endpoint().str()},
                                           {"results", hit.results.size()},
                                           {"hops", header.hops + 1},
                                           {"latency_ms", to_millis(runtime_.now() - record->started)}});
  maybe_download(*record, hit);
}

// --- queries and downloads ---

Expected<Guid> Servent::query(const std::string& words, std::optional<std::size_t> file) {
  Guid guid = make_guid(runtime_.random());
  auto bytes = encode_descriptor(guid, config_.ttl, 0, Query{0, words, {}});
  if (!bytes) return make_error("cannot send this query: " + bytes.reason());
  TimePoint now = runtime_.now();
  router_.originate(PayloadType::Query, guid, now);
  for (ConnId conn : neighbours_) runtime_.send(conn, *bytes);
  traffic_.sent(PayloadType::Query, neighbours_.size());
  ++queries_sent_;
  QueryRecord record;
  record.guid = guid;
  record.words = words;
  record.file = file;
  record.ttl = config_.ttl;
  record.sent = neighbours_.size();
  record.started = now;
  runtime_.telemetry().event("query_sent", {{"guid", to_hex(guid)},
                                            {"words", words},
                                            {"file", file ? nlohmann::json(*file) : nlohmann::json(nullptr)},
                                            {"ttl", config_.ttl},
                                            {"sent", record.sent}});
  queries_.start(std::move(record));
  return guid;
}

// A user takes the first hit that offers the file it searched for, if it does not have it yet.
void Servent::maybe_download(QueryRecord& record, const QueryHit& hit) {
  if (record.download_decided || !record.file) return;
  auto wanted = std::find_if(hit.results.begin(), hit.results.end(),
                             [&](const QueryHitResult& r) { return r.index == *record.file; });
  if (wanted == hit.results.end()) return;
  record.download_decided = true;
  if (files_.shares(*record.file) || downloads_.fetching(*record.file)) return;
  if (downloads_.active() >= config_.max_downloads || !runtime_.random().chance(config_.download_probability))
    return;
  downloads_.start({hit.endpoint(), wanted->index, wanted->name,
                    http::get_target({wanted->index, wanted->name}), to_hex(record.guid)});
}

void Servent::close_queries() {
  for (const QueryRecord& record : queries_.expire(runtime_.now())) {
    runtime_.telemetry().event("query_done", record.to_json());
  }
}

void Servent::schedule_query() {
  if (!workload_) return;
  Duration gap = from_seconds(runtime_.random().exponential(1.0 / config_.query_rate));
  query_timer_ = runtime_.after(gap, [this] {
    if (leaving_) return;
    content::WorkloadQuery next = workload_->next(runtime_.random());
    (void)query(next.words, next.file);
    schedule_query();
  });
}

// --- leaving and status ---

void Servent::on_leave() {
  leaving_ = true;
  std::vector<ConnId> conns;
  for (const auto& [conn, link] : links_) conns.push_back(conn);
  for (ConnId conn : neighbours_)
    send_descriptor(conn, make_guid(runtime_.random()), 1, 0, Bye{200, "leaving"});
  for (ConnId conn : conns) close_link(conn, "leaving");
  runtime_.stop();
}

std::vector<Endpoint> Servent::neighbours() const {
  std::vector<Endpoint> hosts;
  for (ConnId conn : neighbours_) {
    const Link& link = links_.at(conn);
    hosts.push_back(link.peer ? *link.peer : link.remote);
  }
  return hosts;
}

nlohmann::json Servent::status() const {
  nlohmann::json list = nlohmann::json::array();
  for (const Endpoint& host : neighbours()) list.push_back(host.str());
  nlohmann::json status = {
      {"neighbours", neighbours_.size()},
      {"neighbour_list", list},
      {"degree_target", overlay_.fixed() ? list.size() : config_.overlay.degree},
      {"fixed_topology", overlay_.fixed()},
      {"links_opening", neighbour_links() - neighbours_.size()},
      {"host_cache", overlay_.hosts().size()},
      {"pong_cache", pongs_.size()},
      {"router_entries", router_.size()},
      {"queries_sent", queries_sent_},
      {"queries_open", queries_.open()},
      {"queries_seen", queries_seen_},
      {"hits_sent", hits_sent_},
      {"hits_received", hits_received_},
      {"shared_files", files_.size()},
      {"free_rider", config_.free_rider},
      {"last_query", queries_.last() ? queries_.last()->to_json() : nlohmann::json(nullptr)}};
  status.update(traffic_.to_json());
  status.update(uploads_.status());
  status.update(downloads_.status());
  return status;
}

}  // namespace p2p::gnutella
