// The Napster index server core: logins, the shared-file index, searches, browses and download acks.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>

#include "common/node/core.h"
#include "napster/index.h"
#include "napster/message.h"

namespace p2p::napster {

struct ServerConfig {
  std::string login_ack_email = "anon@p2plab";  // napster.txt: "a dummy value" for unregistered nicks
  Duration login_timeout = seconds(30);         // a connection that never logs in is closed after this
  std::size_t max_files_per_user = FileIndex::kDefaultMaxFilesPerUser;
};

// Napster's central directory (napster.txt sections 2 and 4.1). It tracks who is logged in, with the address
// and data port each user gave at login, and every file they share; it answers searches (201 ... 202),
// browses (212 ... 213), download requests (204, or 206 when the file is gone) and stats (214). It never
// touches a file: transfers go straight between peers. Everything lives in memory, so a user's files leave
// the index the moment its connection closes, and a restarted server starts empty: the single point of
// failure the lab shows. A bad frame, a message before login, a message only a server sends, or a duplicate
// nick is answered with an error message (0) and the connection is closed with a counted reason.
class Server : public Core {
 public:
  explicit Server(Runtime& runtime, ServerConfig config = {});

  std::string_view system() const override { return "napster"; }
  std::string_view role() const override { return "server"; }
  void on_start() override {}
  std::unique_ptr<Framer> framer_for(ConnId conn, bool inbound) override;
  void on_connected(ConnId conn, bool inbound, const Endpoint& remote) override;
  void on_frame(ConnId conn, ByteView frame) override;
  void on_closed(ConnId conn, std::string_view reason) override;
  // Nothing to say on leaving: clients see the connection close, so the node ends at once.
  void on_leave() override { runtime_.stop(); }
  nlohmann::json status() const override;

  const FileIndex& index() const { return index_; }
  std::size_t users() const { return by_nick_.size(); }

 private:
  enum class State { AwaitingLogin, LoggedIn, Closing };
  struct Session {
    State state = State::AwaitingLogin;
    std::uint32_t ip = 0;  // napster_ip() of the connection's remote address
    std::string nick;
    UserId user;
    std::uint16_t data_port = 0;
    std::uint32_t link_type = 0;
  };

  void handle(ConnId conn, Session& session, const Login& m);
  void handle(ConnId conn, Session& session, const ShareFile& m);
  void handle(ConnId conn, Session& session, const UnshareFile& m);
  void handle(ConnId conn, Session& session, const SearchRequest& m);
  void handle(ConnId conn, Session& session, const DownloadRequest& m);
  void handle(ConnId conn, Session& session, const BrowseRequest& m);
  void handle(ConnId conn, Session& session, const StatsRequest& m);
  // Everything else is a message only a server sends.
  template <typename M>
  void handle(ConnId conn, Session&, const M&) {
    reject(conn, "unexpected_message",
           "message " + std::to_string(static_cast<unsigned>(M::kType)) + " is not one a client sends");
  }

  // Tells the client why in an error message, then closes with `kind` counted and reported.
  void reject(ConnId conn, const std::string& kind, const std::string& detail);
  void send_error(ConnId conn, std::string text);
  const Session* logged_in(std::string_view nick) const;
  ServerStats stats() const;

  Runtime& runtime_;
  ServerConfig config_;
  FileIndex index_;
  IdAllocator<UserId> user_ids_;
  std::unordered_map<ConnId, Session> sessions_;
  std::map<std::string, ConnId, std::less<>> by_nick_;
  std::unordered_map<UserId, ConnId> by_user_;

  std::uint64_t logins_ = 0;
  std::uint64_t searches_ = 0;
  std::uint64_t results_ = 0;
  std::uint64_t downloads_acked_ = 0;
  std::uint64_t downloads_refused_ = 0;
  std::uint64_t browses_ = 0;
  std::uint64_t share_errors_ = 0;
  std::map<std::string, std::uint64_t> rejected_;  // by kind
};

}  // namespace p2p::napster
