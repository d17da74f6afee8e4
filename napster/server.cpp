// The Napster index server core: each client message handled as napster.txt section 2 describes its answer.
#include "napster/server.h"

#include <algorithm>
#include <utility>

#include "napster/codec.h"

namespace p2p::napster {
Server::Server(Runtime& runtime, ServerConfig config)
    : runtime_(runtime), config_(std::move(config)), index_(config_.max_files_per_user) {}

std::unique_ptr<Framer> Server::framer_for(ConnId, bool) {
  return make_framer();
}

void Server::on_connected(ConnId conn, bool inbound, const Endpoint& remote) {
  if (!inbound) {
    runtime_.close(conn, "the server never dials out");
    return;
  }
  Session session;
  session.ip = napster_ip(remote);
  sessions_.emplace(conn, std::move(session));
  runtime_.after(config_.login_timeout, [this, conn] {
    auto it = sessions_.find(conn);
    if (it != sessions_.end() && it->second.state == State::AwaitingLogin) {
      reject(conn, "login_timeout",
             "no login within " + std::to_string(to_seconds(config_.login_timeout)) + " s");
    }
  });
}

void Server::on_frame(ConnId conn, ByteView frame) {
  auto it = sessions_.find(conn);
  if (it == sessions_.end() || it->second.state == State::Closing) return;
  Session& session = it->second;
  auto message = decode(frame);
  if (!message) {
    reject(conn, "bad_frame", message.reason());
    return;
  }
  if (session.state == State::AwaitingLogin && !std::holds_alternative<Login>(*message)) {
    reject(conn, "before_login",
           "message " + std::to_string(static_cast<unsigned>(type_of(*message))) + " before login");
    return;
  }
  std::visit([&](const auto& m) { handle(conn, session, m); }, *message);
}

void Server::on_closed(ConnId conn, std::string_view reason) {
  auto it = sessions_.find(conn);
  if (it == sessions_.end()) return;
  const Session& session = it->second;
  if (session.user != UserId{}) {
    std::size_t removed = index_.remove_user(session.user);
    by_nick_.erase(session.nick);
    by_user_.erase(session.user);
    runtime_.telemetry().event("logout", {{"nick", session.nick}, {"files", removed}, {"reason", reason}});
  }
  sessions_.erase(it);
}

void Server::handle(ConnId conn, Session& session, const Login& m) {
  if (session.state == State::LoggedIn) {
    reject(conn, "unexpected_message", "already logged in as " + session.nick);
    return;
  }
  if (by_nick_.contains(m.nick)) {
    reject(conn, "duplicate_nick", "nick " + m.nick + " is already logged in, choose another");
    return;
  }
  session.state = State::LoggedIn;
  session.nick = m.nick;
  session.user = user_ids_.next();
  session.data_port = m.data_port;
  session.link_type = m.link_type;
  by_nick_.emplace(m.nick, conn);
  by_user_.emplace(session.user, conn);
  ++logins_;
  Bytes reply = encode(LoginAck{config_.login_ack_email});
  encode_to(reply, stats());
  runtime_.send(conn, std::move(reply));
  runtime_.telemetry().event("login", {{"nick", m.nick}, {"data_port", m.data_port}});
}

void Server::handle(ConnId conn, Session& session, const ShareFile& m) {
  auto shared = index_.share(session.user, m.file);
  if (!shared) {
    ++share_errors_;
    send_error(conn, "share refused: " + shared.reason());
  }
}

void Server::handle(ConnId conn, Session& session, const UnshareFile& m) {
  auto removed = index_.unshare(session.user, m.name);
  if (!removed) send_error(conn, "unshare refused: " + removed.reason());
}

void Server::handle(ConnId conn, Session&, const SearchRequest& m) {
  ++searches_;
  Bytes batch;
  // napster.txt: the server sends at most kMaxResults results, whatever the client asks for.
  for (const IndexHit& hit : index_.search(m.words, std::min<std::size_t>(m.max_results, kMaxResults))) {
    const Session& owner = sessions_.at(by_user_.at(hit.owner));
    encode_to(batch, SearchResult{*hit.file, owner.nick, owner.ip, owner.link_type, owner.data_port});
    ++results_;
  }
  encode_to(batch, SearchEnd{});
  runtime_.send(conn, std::move(batch));
}

void Server::handle(ConnId conn, Session&, const DownloadRequest& m) {
  const Session* owner = logged_in(m.nick);
  const FileInfo* file = owner == nullptr ? nullptr : index_.find(owner->user, m.name);
  if (file == nullptr) {
    ++downloads_refused_;
    runtime_.send(conn, encode(DownloadError{m.nick, m.name}));
    return;
  }
  ++downloads_acked_;
  runtime_.send(conn, encode(DownloadAck{owner->nick, owner->ip, owner->data_port, file->name, file->md5,
                                         owner->link_type}));
}

void Server::handle(ConnId conn, Session&, const BrowseRequest& m) {
  ++browses_;
  Bytes batch;
  const Session* owner = logged_in(m.nick);
  if (owner == nullptr) {
    encode_to(batch, ErrorMessage{"user " + m.nick + " is not online"});
  } else {
    for (const FileInfo* file : index_.files_of(owner->user))
      encode_to(batch, BrowseEntry{owner->nick, *file});
  }
  encode_to(batch, BrowseEnd{m.nick});
  runtime_.send(conn, std::move(batch));
}

void Server::handle(ConnId conn, Session&, const StatsRequest&) {
  runtime_.send(conn, encode(stats()));
}

void Server::reject(ConnId conn, const std::string& kind, const std::string& detail) {
  auto it = sessions_.find(conn);
  if (it != sessions_.end()) it->second.state = State::Closing;
  ++rejected_[kind];
  send_error(conn, detail);
  runtime_.telemetry().event("rejected", {{"kind", kind}, {"reason", detail}});
  runtime_.close(conn, kind + ": " + detail);
}

void Server::send_error(ConnId conn, std::string text) {
  // The text may quote what a client sent; keep it inside one frame.
  if (text.size() > kMaxPayload) text.resize(kMaxPayload);
  runtime_.send(conn, encode(ErrorMessage{std::move(text)}));
}

const Server::Session* Server::logged_in(std::string_view nick) const {
  auto it = by_nick_.find(nick);
  return it == by_nick_.end() ? nullptr : &sessions_.at(it->second);
}

ServerStats Server::stats() const {
  IndexStats index = index_.stats();
  return {by_nick_.size(), index.files, index.bytes >> 30};
}

nlohmann::json Server::status() const {
  IndexStats index = index_.stats();
  return {{"users", by_nick_.size()},
          {"connections", sessions_.size()},
          {"files", index.files},
          {"bytes_shared", index.bytes},
          {"logins", logins_},
          {"searches", searches_},
          {"results", results_},
          {"downloads_acked", downloads_acked_},
          {"downloads_refused", downloads_refused_},
          {"browses", browses_},
          {"share_errors", share_errors_},
          {"rejected", rejected_}};
}

}  // namespace p2p::napster
