// The Gnutella 0.6 servent core: overlay links, ping/pong with a pong cache, flooded queries, HTTP transfers.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/content/catalogue.h"
#include "common/content/query_workload.h"
#include "common/node/core.h"
#include "common/transfer/http_downloads.h"
#include "common/transfer/http_uploads.h"
#include "gnutella/descriptor.h"
#include "gnutella/handshake_session.h"
#include "gnutella/overlay.h"
#include "gnutella/pong_cache.h"
#include "gnutella/query_tracker.h"
#include "gnutella/router.h"
#include "gnutella/shared_index.h"
#include "gnutella/traffic_counters.h"

namespace p2p::gnutella {

struct ServentConfig {
  OverlayConfig overlay;
  std::string user_agent = "p2plab-gnutella/0.1";
  Duration maintenance_interval = seconds(1);  // dial toward the degree, time out handshakes, close queries
  Duration handshake_timeout = seconds(10);
  Router::Config router;
  PongCache::Config pong_cache;

  std::uint8_t ttl = kDefaultTtl;       // of this servent's own queries
  double query_rate = 0;                // workload queries per second (Poisson arrivals); 0 for none
  Duration query_window = seconds(10);  // how long hits for a query are counted before query_done
  std::size_t max_results_per_hit = 16;
  bool report_query_seen = true;  // a query_seen event for every query processed: the lab's measure of reach

  std::shared_ptr<const content::Catalogue> catalogue;  // required: what files exist, and their bytes
  std::vector<std::size_t> shared;                      // catalogue indices this servent shares
  bool free_rider = false;                              // shares nothing, whatever `shared` says
  double download_probability = 1;  // chance that a query for a known file downloads it from a hit
  std::size_t max_downloads = 4;
  transfer::HttpUploadConfig uploads;
  transfer::HttpDownloadConfig downloads;
};

// A Gnutella 0.6 servent (GDF Gnutella 0.6 draft; PROTOCOLS.md). On one listening port it takes both
// Gnutella links and HTTP downloads, telling them apart by the first line ("GNUTELLA CONNECT/0.6" or
// "GET "). Its units:
//   Overlay + HostCache  whom to link to: bootstrap and discovered hosts toward `degree`, or a fixed
//   topology; HandshakeSession     the 0.6 handshake both ways, "503 + X-Try" when full; Router flooding with
//   TTL and hops, the seen-table, reverse-path routing of replies; PongCache            pings answered from
//   recent pongs, never re-flooded (GDF 2.2.4.1); SharedIndex          the keyword matches that Queries get
//   QueryHits for; QueryTracker         the hits and first-hit latency of this servent's own queries;
//   HttpUploads, HttpDownloads   HTTP GET /get/<index>/<name> (resolve_get), checked against the catalogue's
//   SHA-1.
// Telemetry events: neighbour_up, neighbour_down, handshake_failed, query_sent, query_seen, query_hit,
// query_done, download_done, upload_done, upload_refused (fields: see the reply of issue 6 and status()).
class Servent : public Core {
 public:
  // Timers are not cancelled on destruction: every runtime destroys a core only once its timers can no
  // longer fire (SimNet clears them first, the Host stops its loop first).
  Servent(Runtime& runtime, ServentConfig config);

  std::string_view system() const override { return "gnutella"; }
  std::string_view role() const override { return "servent"; }
  void on_start() override;
  std::unique_ptr<Framer> framer_for(ConnId conn, bool inbound) override;
  void on_connected(ConnId conn, bool inbound, const Endpoint& remote) override;
  void on_frame(ConnId conn, ByteView frame) override;
  void on_closed(ConnId conn, std::string_view reason) override;
  // Says Bye (code 200) to every neighbour, then stops.
  void on_leave() override;
  nlohmann::json status() const override;

  // Floods a Query for `words` with the configured TTL. With `file`, the catalogue file it is for: its hits
  // are checked for it, and the first hit naming it may start a download. The outcome is a query_done event
  // once the query window closes. Fails if the words cannot form a Query (too long, a NUL).
  Expected<Guid> query(const std::string& words, std::optional<std::size_t> file = std::nullopt);

  // The listening addresses of the established neighbours (or their address with port 0, for a peer that
  // gave no Listen-IP), in the order the links came up.
  std::vector<Endpoint> neighbours() const;
  const TrafficCounters& traffic() const { return traffic_; }
  const SharedIndex& files() const { return files_; }
  const Overlay& overlay() const { return overlay_; }
  std::uint64_t hits_received() const { return hits_received_; }

 private:
  // What a connection is, by what the servent waits for on it.
  enum class LinkKind { AwaitingFirstLine, Handshaking, Neighbour, Upload, Download };
  struct Link {
    LinkKind kind;
    bool inbound;
    Endpoint remote;               // the address dialled, or the inbound peer's address with port 0
    std::optional<Endpoint> peer;  // where the peer listens: the address dialled, or its Listen-IP
    std::optional<HandshakeSession> handshake;
    TimePoint since;
    bool learnt = false;  // the peer's handshake message has been read for hosts
  };

  ConnId dial(const Endpoint& remote, LinkKind kind);
  void maintain();
  void on_handshake_line(ConnId conn, Link& link, ByteView line);
  void become_neighbour(ConnId conn, Link& link);
  // Closes a link now and forgets it; on_closed() will find nothing left to do.
  void close_link(ConnId conn, const std::string& reason);
  void link_lost(ConnId conn, const Link& link, std::string_view reason);
  std::vector<Endpoint> linked_hosts() const;
  std::size_t neighbour_links() const;

  void on_descriptor(ConnId conn, ByteView frame);
  void on_ping(ConnId conn, const Header& header);
  void on_pong(ConnId conn, const Header& header, const Pong& pong, const RouteDecision& decision,
               ByteView frame);
  void on_query(ConnId conn, const Header& header, const Query& query, const RouteDecision& decision,
                ByteView frame);
  void on_query_hit(const Header& header, const QueryHit& hit, const RouteDecision& decision, ByteView frame);
  void send_descriptor(ConnId conn, const Guid& guid, std::uint8_t ttl, std::uint8_t hops,
                       const Payload& payload);
  std::size_t forward(ByteView frame, PayloadType type, const RouteDecision& decision);
  void ping(ConnId conn);
  Pong own_pong() const;

  void maybe_download(QueryRecord& record, const QueryHit& hit);
  void close_queries();
  void schedule_query();

  Runtime& runtime_;
  ServentConfig config_;
  Endpoint self_;
  Guid servent_id_;
  Overlay overlay_;
  Router router_;
  PongCache pongs_;
  SharedIndex files_;
  QueryTracker queries_;
  std::optional<content::QueryWorkload> workload_;
  transfer::HttpUploads uploads_;
  transfer::HttpDownloads downloads_;
  TrafficCounters traffic_;

  std::map<ConnId, Link> links_;
  std::vector<ConnId> neighbours_;  // established links, in the order they came up
  LinkKind dialling_ = LinkKind::Handshaking;
  TimerId maintenance_timer_;
  TimerId query_timer_;
  bool leaving_ = false;

  std::uint64_t queries_sent_ = 0;
  std::uint64_t queries_seen_ = 0;
  std::uint64_t hits_sent_ = 0;
  std::uint64_t hits_received_ = 0;
};

}  // namespace p2p::gnutella
