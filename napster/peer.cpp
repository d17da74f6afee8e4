// The Napster peer core: the server connection, searches, and the choice of what to download.
#include "napster/peer.h"

#include <algorithm>
#include <cassert>

#include "common/content/safe_name.h"
#include "napster/codec.h"

namespace p2p::napster {

std::string_view to_string(ServerState state) {
  switch (state) {
    case ServerState::AwaitingRetry:
      return "offline";
    case ServerState::Connecting:
      return "connecting";
    case ServerState::AwaitingLoginAck:
      return "logging_in";
    case ServerState::Online:
      return "online";
  }
  return "?";
}

namespace {

Status check_word(std::string_view what, std::string_view word) {
  if (word.empty() || word.size() > kMaxNickBytes) {
    return make_error(std::string(what) + " must be 1 to " + std::to_string(kMaxNickBytes) + " bytes");
  }
  for (char c : word) {
    if (c <= 0x20 || c > 0x7e || c == '"') {
      return make_error(std::string(what) + " may hold only printable ASCII without spaces or quotes");
    }
  }
  return Ok{};
}

}  // namespace

Status validate(const PeerConfig& config) {
  if (auto nick = check_word("nick", config.nick); !nick) return nick;
  if (auto password = check_word("password", config.password); !password) return password;
  if (config.link_type > kMaxLinkType)
    return make_error("link type must be 0 to " + std::to_string(kMaxLinkType));
  if (!(config.query_rate >= 0)) return make_error("query rate must not be negative");
  if (!(config.download_probability >= 0 && config.download_probability <= 1)) {
    return make_error("download probability must be between 0 and 1");
  }
  return Ok{};
}

Peer::Peer(Runtime& runtime, PeerConfig config, std::unique_ptr<SharedFiles> files,
           std::shared_ptr<const content::QueryWorkload> workload)
    : runtime_(runtime),
      config_(std::move(config)),
      files_(std::move(files)),
      workload_(std::move(workload)),
      uploads_(runtime, *files_, config_.uploads, [this](std::string_view name) { return offered(name); }),
      downloads_(
          runtime, *files_, config_.nick,
          [this](const Endpoint& owner) { return dial(owner, ConnKind::Download); },
          [this](const SharedFile& file) { on_verified(file); }, config_.downloads),
      backoff_(config_.backoff) {
  assert(validate(config_).ok());
}

Peer::~Peer() {
  for (TimerId timer : {retry_timer_, query_timer_}) {
    if (timer != TimerId{}) runtime_.cancel(timer);
  }
}

void Peer::on_start() {
  connect_to_server();
  schedule_query();
}

// Some runtimes ask for the framer from inside connect(), before the id is returned: `dialling_` says what
// that connection is for.
ConnId Peer::dial(const Endpoint& remote, ConnKind kind) {
  dialling_ = kind;
  ConnId conn = runtime_.connect(remote);
  outbound_[conn] = kind;
  return conn;
}

std::unique_ptr<Framer> Peer::framer_for(ConnId conn, bool inbound) {
  // Inbound connections arrive on the data port: downloaders asking for a file.
  if (inbound) return std::make_unique<UploadRequestFramer>();
  auto it = outbound_.find(conn);
  ConnKind kind = it == outbound_.end() ? dialling_ : it->second;
  if (kind == ConnKind::Server) return make_framer();
  return std::make_unique<DownloadFramer>();
}

void Peer::on_connected(ConnId conn, bool inbound, const Endpoint&) {
  if (inbound) {
    uploads_.on_connected(conn);
    return;
  }
  if (conn != server_conn_) return;  // a download: the uploader speaks first
  std::uint16_t data_port = config_.firewalled ? 0 : runtime_.local_endpoint().port;
  runtime_.send(conn, encode(Login{config_.nick, config_.password, data_port, "p2plab", config_.link_type}));
  set_state(ServerState::AwaitingLoginAck, "connected");
  runtime_.after(config_.login_timeout, [this, conn] {
    if (server_conn_ == conn && state_ == ServerState::AwaitingLoginAck)
      runtime_.close(conn, "login timed out");
  });
}

void Peer::on_frame(ConnId conn, ByteView frame) {
  if (conn == server_conn_) {
    auto message = decode(frame);
    if (!message) {
      runtime_.close(conn, "bad frame from the server: " + message.reason());
      return;
    }
    on_server_message(*message);
  } else if (downloads_.owns(conn)) {
    downloads_.on_frame(conn, frame);
  } else {
    uploads_.on_frame(conn, frame);
  }
}

void Peer::on_closed(ConnId conn, std::string_view reason) {
  outbound_.erase(conn);
  if (conn == server_conn_) {
    server_lost(reason);
  } else if (downloads_.owns(conn)) {
    downloads_.on_closed(conn, reason);
  } else {
    uploads_.on_closed(conn, reason);
  }
}

void Peer::on_leave() {
  leaving_ = true;
  if (server_conn_ != ConnId{}) runtime_.close(server_conn_, "leaving");
  runtime_.stop();
}

// --- the server connection ---

void Peer::connect_to_server() {
  retry_timer_ = TimerId{};
  set_state(ServerState::Connecting, "dialling " + config_.server.str());
  server_conn_ = dial(config_.server, ConnKind::Server);
}

void Peer::on_server_message(const Message& message) {
  if (std::holds_alternative<LoginAck>(message)) {
    on_login_ack();
  } else if (const auto* error = std::get_if<ErrorMessage>(&message)) {
    // During login this is the refusal (a duplicate nick) and the server closes next; later, a refused share.
    ++server_errors_;
    last_server_error_ = error->text;
    runtime_.log(LogLevel::Warn, "server error: " + error->text);
  } else if (const auto* result = std::get_if<SearchResult>(&message)) {
    if (!searches_.empty() && searches_.front().results.size() < kMaxResults) {
      searches_.front().results.push_back(*result);
    }
  } else if (std::holds_alternative<SearchEnd>(message)) {
    on_search_end();
  } else if (const auto* ack = std::get_if<DownloadAck>(&message)) {
    on_download_ack(*ack);
  } else if (const auto* refused = std::get_if<DownloadError>(&message)) {
    auto it = acks_.find({refused->nick, refused->name});
    if (it == acks_.end()) return;
    downloads_.fail_unstarted(it->second.file, it->second.requested,
                              "file unavailable: its owner left or unshared it");
    acks_.erase(it);
  }
  // Stats and browse answers need no action from the peer.
}

void Peer::on_login_ack() {
  if (state_ != ServerState::AwaitingLoginAck) return;
  ++logins_;
  backoff_.reset();
  set_state(ServerState::Online, "logged in");
  for (const SharedFile& file : files_->list()) {
    if (offered(file.name)) share(file);
  }
}

bool Peer::offered(std::string_view name) const {
  return !config_.free_rider && !kept_.contains(name);
}

void Peer::share(const SharedFile& file) {
  FileInfo info;
  info.name = file.name;
  info.md5 = file.md5;
  info.size = file.size;
  runtime_.send(server_conn_, encode(ShareFile{info}));
}

void Peer::server_lost(std::string_view reason) {
  server_conn_ = ConnId{};
  std::string why = "server connection lost: " + std::string(reason);
  for (auto& search : searches_) {
    if (!search.expired) report_search(search, false, why);
  }
  searches_.clear();
  for (const auto& [key, pending] : acks_) downloads_.fail_unstarted(pending.file, pending.requested, why);
  acks_.clear();
  if (leaving_) return;
  Duration delay = backoff_.next(runtime_.random());
  set_state(ServerState::AwaitingRetry,
            std::string(reason) + "; retry in " + std::to_string(to_seconds(delay)) + " s");
  retry_timer_ = runtime_.after(delay, [this] { connect_to_server(); });
}

void Peer::set_state(ServerState state, std::string_view reason) {
  state_ = state;
  runtime_.telemetry().event("server_state", {{"state", to_string(state)}, {"reason", reason}});
}

// --- searches ---

void Peer::search(const std::string& words, bool from_workload) {
  ++searches_issued_;
  PendingSearch search{next_search_id_++, words, runtime_.now(), from_workload, false, {}};
  if (state_ != ServerState::Online) {
    report_search(search, false, "not connected to the server (" + std::string(to_string(state_)) + ")");
    return;
  }
  if (searches_.size() >= config_.max_searches_in_flight) {
    report_search(search, false, "too many searches in flight");
    return;
  }
  runtime_.send(server_conn_, encode(SearchRequest{words, config_.max_results}));
  runtime_.after(config_.search_timeout, [this, id = search.id] { expire_search(id); });
  searches_.push_back(std::move(search));
}

void Peer::expire_search(std::uint64_t id) {
  auto it = std::find_if(searches_.begin(), searches_.end(), [&](const auto& s) { return s.id == id; });
  if (it == searches_.end() || it->expired) return;
  it->expired = true;
  report_search(*it, false, "timed out");
}

void Peer::on_search_end() {
  if (searches_.empty()) return;
  PendingSearch search = std::move(searches_.front());
  searches_.pop_front();
  if (search.expired) return;
  report_search(search, true, "answered");
  if (search.from_workload) maybe_download(search.results);
}

void Peer::report_search(const PendingSearch& search, bool ok, std::string_view reason) {
  ++(ok ? searches_answered_ : searches_failed_);
  runtime_.telemetry().event("search_done", {{"ok", ok},
                                             {"words", search.words},
                                             {"results", search.results.size()},
                                             {"latency_ms", to_millis(runtime_.now() - search.sent)},
                                             {"reason", reason}});
}

void Peer::schedule_query() {
  if (workload_ == nullptr || config_.query_rate <= 0) return;
  Duration gap = from_seconds(runtime_.random().exponential(1.0 / config_.query_rate));
  query_timer_ = runtime_.after(gap, [this] {
    search(workload_->next(runtime_.random()).words, true);
    schedule_query();
  });
}

// --- downloads ---

void Peer::maybe_download(const std::vector<SearchResult>& results) {
  if (downloads_.active() + acks_.size() >= config_.max_downloads) return;
  std::vector<SearchResult> usable;
  for (const SearchResult& r : results) {
    bool mine = r.nick == config_.nick || files_->find(r.file.name).has_value();
    bool busy =
        downloads_.fetching(r.file.name) ||
        std::any_of(acks_.begin(), acks_.end(), [&](const auto& a) { return a.first.second == r.file.name; });
    if (!mine && !busy && r.data_port != 0) usable.push_back(r);
  }
  if (usable.empty() || !runtime_.random().chance(config_.download_probability)) return;
  download(runtime_.random().pick(usable));
}

void Peer::download(const SearchResult& result) {
  TimePoint now = runtime_.now();
  if (state_ != ServerState::Online) {
    downloads_.fail_unstarted(result.file, now, "not connected to the server");
  } else if (result.data_port == 0) {
    // napster.txt's push transfer (500/501) for firewalled owners is not implemented.
    downloads_.fail_unstarted(result.file, now, "owner is firewalled");
  } else if (auto safe = content::check_safe_name(result.file.name); !safe) {
    downloads_.fail_unstarted(result.file, now, "unsafe file name: " + safe.reason());
  } else {
    acks_[{result.nick, result.file.name}] = PendingAck{result.file, now};
    runtime_.send(server_conn_, encode(DownloadRequest{result.nick, result.file.name}));
  }
}

void Peer::on_download_ack(const DownloadAck& ack) {
  auto it = acks_.find({ack.nick, ack.name});
  if (it == acks_.end()) return;
  PendingAck pending = std::move(it->second);
  acks_.erase(it);
  if (ack.data_port == 0) {
    downloads_.fail_unstarted(pending.file, pending.requested, "owner is firewalled");
    return;
  }
  downloads_.start(
      {ack.nick, endpoint_from_napster_ip(ack.ip, ack.data_port), pending.file, pending.requested});
}

void Peer::on_verified(const SharedFile& file) {
  if (!config_.share_downloads) kept_.insert(file.name);
  // Offline, the file is shared with the rest at the next login.
  if (offered(file.name) && state_ == ServerState::Online) share(file);
}

nlohmann::json Peer::status() const {
  nlohmann::json status = {{"server_state", to_string(state_)},
                           {"logins", logins_},
                           {"server_errors", server_errors_},
                           {"last_server_error", last_server_error_},
                           {"searches_issued", searches_issued_},
                           {"searches_answered", searches_answered_},
                           {"searches_failed", searches_failed_},
                           {"searches_in_flight", searches_.size()},
                           {"shared_files", config_.free_rider ? 0 : files_->list().size() - kept_.size()},
                           {"bytes_up", uploads_.tally().bytes},
                           {"bytes_down", downloads_.tally().bytes}};
  status.update(uploads_.status());
  status.update(downloads_.status());
  return status;
}

}  // namespace p2p::napster
