// TrackerClient: a peer's announces to its HTTP tracker (BEP 3 "Trackers"), sent over the core's transport.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "bittorrent/http_message.h"
#include "bittorrent/tracker_request.h"
#include "bittorrent/tracker_response.h"
#include "common/node/core.h"

namespace p2p::bittorrent {

// Where an "http://HOST[:PORT]/PATH[?QUERY]" announce URL points. HOST must be a dotted IPv4 address or
// "localhost": p2plab resolves no names, and https is not spoken.
struct AnnounceUrl {
  Endpoint endpoint;
  std::string target;  // path and query, to which the announce parameters are appended
};
Expected<AnnounceUrl> parse_announce_url(std::string_view url);

struct TrackerClientConfig {
  AnnounceUrl url;
  Sha1Digest info_hash{};
  PeerId peer_id{};
  std::uint16_t port = 0;  // where this peer listens
  std::uint32_t numwant = 50;
  Duration timeout = std::chrono::seconds(15);
  Duration retry = std::chrono::seconds(15);             // after a failed announce
  Duration default_interval = std::chrono::minutes(30);  // until a tracker says otherwise
  std::string user_agent = "p2plab/0.1";
};

// What the announce parameters report, asked for at the moment each announce is sent.
struct TransferTotals {
  std::uint64_t uploaded = 0;
  std::uint64_t downloaded = 0;
  std::uint64_t left = 0;
};

// Announces at start, on completion, at stop and every `interval` the tracker gives (BEP 3), each as one
// HTTP GET on its own connection, read with HttpResponseReader until the tracker closes or the body ends. A
// failed announce (no connection, a timeout, a bad answer, a "failure reason") is retried after `retry`, and
// a started or completed event is kept until one gets through. It tells the core the peers it learns, and
// reports tracker_announce {event, peers, seeds, leechers, interval} and tracker_error {event, reason}.
class TrackerClient {
 public:
  using OnPeers = std::function<void(const std::vector<TrackerPeer>&)>;
  using Totals = std::function<TransferTotals()>;

  TrackerClient(Runtime& runtime, TrackerClientConfig config, Totals totals, OnPeers on_peers);

  void announce(AnnounceEvent event);
  // Sends "stopped" and calls `done` once the tracker has answered or the attempt has failed.
  void stop(std::function<void()> done);

  // Gives up without telling the tracker: cancels every timer and closes every announce in flight, and
  // returns those connections (a magnet peer whose Peer announces under the same id from then on).
  std::vector<ConnId> abandon();

  // The core hands over every event of the connections the client opened.
  bool owns(ConnId conn) const { return pending_.contains(conn); }
  void on_connected(ConnId conn);
  void on_frame(ConnId conn, ByteView frame);
  void on_closed(ConnId conn, std::string_view reason);

  Duration interval() const { return interval_; }
  std::uint64_t announces() const { return announces_; }
  std::uint64_t failures() const { return failures_; }

 private:
  struct Pending {
    AnnounceEvent event;
    HttpResponseReader reader;
    TimerId timeout;
  };

  void finish(ConnId conn, Expected<HttpResponseMessage> response);
  void succeeded(AnnounceEvent event, const AnnounceResponse& response);
  void failed(AnnounceEvent event, const std::string& reason);
  void schedule(Duration delay, AnnounceEvent event);

  Runtime& runtime_;
  TrackerClientConfig config_;
  Totals totals_;
  OnPeers on_peers_;
  std::map<ConnId, Pending> pending_;
  Duration interval_;
  TimerId next_;
  bool stopped_ = false;
  std::function<void()> on_stopped_;
  std::uint64_t announces_ = 0, failures_ = 0;
};

}  // namespace p2p::bittorrent
