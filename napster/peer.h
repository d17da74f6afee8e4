// The Napster peer core: logs in to the index server, shares, searches, and downloads straight from other
// peers.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/content/query_workload.h"
#include "common/node/core.h"
#include "napster/backoff.h"
#include "napster/downloads.h"
#include "napster/message.h"
#include "napster/shared_files.h"
#include "napster/uploads.h"

namespace p2p::napster {

// What the peer waits for on its server connection.
enum class ServerState { AwaitingRetry, Connecting, AwaitingLoginAck, Online };
std::string_view to_string(ServerState state);

struct PeerConfig {
  std::string nick = "peer";
  std::string password = "p2plab";
  Endpoint server;
  bool free_rider = false;          // offers nothing, not even what it downloads
  bool share_downloads = true;      // verified downloads are offered too (else kept in the folder, unoffered)
  bool firewalled = false;          // logs in with data port 0; others cannot fetch from it
  std::uint32_t link_type = 8;      // napster.txt message 2: 8 is DSL
  double query_rate = 0;            // workload searches per second (Poisson arrivals); 0 for none
  double download_probability = 1;  // chance that a workload search with usable results leads to a download
  std::uint32_t max_results = 20;
  std::size_t max_searches_in_flight = 8;
  std::size_t max_downloads = 4;  // transfers running or awaiting their ack
  Duration search_timeout = seconds(10);
  Duration login_timeout = seconds(10);
  BackoffConfig backoff;
  UploadConfig uploads;
  DownloadConfig downloads;
};

// Whether a configuration can go on the wire: a nick and password that are bare words of at most
// kMaxNickBytes (no space, quote or control byte), a link type of 0..10, a non-negative query rate and a
// probability in [0, 1]. A process main checks this before building the core, which asserts it.
Status validate(const PeerConfig& config);

// A Napster user (napster.txt sections 2 and 4.1). It tracks its one connection to the index server, and
// while that is up it shares its folder (100), searches (200 -> 201s -> 202) and asks where files are (203 ->
// 204). Files then move over direct connections to the owner's data port (Downloads, Uploads), which never
// involve the server. When the server connection drops, searches fail at once with a clear reason, the peer
// logs in again after an exponential backoff with jitter and re-shares everything, and transfers already
// running carry on. Searches are answered in order, so results belong to the oldest search still waiting for
// its 202. Telemetry: search_done, download_done, upload_done, request_refused, server_state.
class Peer : public Core {
 public:
  // `workload` may be null: the peer then searches only when told to.
  Peer(Runtime& runtime, PeerConfig config, std::unique_ptr<SharedFiles> files,
       std::shared_ptr<const content::QueryWorkload> workload = nullptr);
  ~Peer() override;

  std::string_view system() const override { return "napster"; }
  std::string_view role() const override { return "peer"; }
  void on_start() override;
  std::unique_ptr<Framer> framer_for(ConnId conn, bool inbound) override;
  void on_connected(ConnId conn, bool inbound, const Endpoint& remote) override;
  void on_frame(ConnId conn, ByteView frame) override;
  void on_closed(ConnId conn, std::string_view reason) override;
  void on_leave() override;
  nlohmann::json status() const override;

  // Searches the index; the outcome is a search_done event (and a download, for workload searches).
  void search(const std::string& words) { search(words, false); }
  // Asks the server where `result` lives, then fetches it from its owner.
  void download(const SearchResult& result);

  ServerState server_state() const { return state_; }
  const SharedFiles& files() const { return *files_; }

 private:
  enum class ConnKind { Server, Download };
  struct PendingSearch {
    std::uint64_t id;
    std::string words;
    TimePoint sent;
    bool from_workload;
    bool expired = false;  // already reported as timed out; its 202 is still awaited to keep the order
    std::vector<SearchResult> results;
  };
  struct PendingAck {
    FileInfo file;
    TimePoint requested;
  };
  using AckKey = std::pair<std::string, std::string>;  // owner nick, file name

  ConnId dial(const Endpoint& remote, ConnKind kind);
  void connect_to_server();
  void on_server_message(const Message& message);
  void on_login_ack();
  void on_search_end();
  void on_download_ack(const DownloadAck& ack);
  void server_lost(std::string_view reason);
  void set_state(ServerState state, std::string_view reason);
  void share(const SharedFile& file);
  void on_verified(const SharedFile& file);
  // Whether a file of the folder is announced to the server and served to downloaders.
  bool offered(std::string_view name) const;

  void search(const std::string& words, bool from_workload);
  void report_search(const PendingSearch& search, bool ok, std::string_view reason);
  void expire_search(std::uint64_t id);
  void maybe_download(const std::vector<SearchResult>& results);
  void schedule_query();

  Runtime& runtime_;
  PeerConfig config_;
  std::unique_ptr<SharedFiles> files_;
  std::shared_ptr<const content::QueryWorkload> workload_;
  Uploads uploads_;
  Downloads downloads_;
  Backoff backoff_;

  ServerState state_ = ServerState::AwaitingRetry;
  ConnId server_conn_;
  std::unordered_map<ConnId, ConnKind> outbound_;
  ConnKind dialling_ = ConnKind::Server;
  TimerId retry_timer_;
  TimerId query_timer_;
  bool leaving_ = false;
  std::string last_server_error_;

  std::deque<PendingSearch> searches_;
  std::uint64_t next_search_id_ = 1;
  std::map<AckKey, PendingAck> acks_;
  std::set<std::string, std::less<>> kept_;  // verified downloads not offered (share_downloads off)

  std::uint64_t searches_issued_ = 0;
  std::uint64_t searches_answered_ = 0;
  std::uint64_t searches_failed_ = 0;
  std::uint64_t logins_ = 0;
  std::uint64_t server_errors_ = 0;
};

}  // namespace p2p::napster
