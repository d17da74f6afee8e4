// Tracker: the HTTP tracker core (BEP 3 "Trackers", BEP 23 compact answers, BEP 48 scrape), on the transport.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "bittorrent/http_message.h"
#include "bittorrent/rate_meter.h"
#include "bittorrent/swarm_registry.h"
#include "common/node/core.h"

namespace p2p::bittorrent {

struct TrackerConfig {
  Duration interval = std::chrono::minutes(30);  // "interval": how often clients re-announce
  Duration min_interval = std::chrono::minutes(15);
  SwarmRegistryConfig registry;      // open mode, peer timeout, caps
  std::vector<Sha1Digest> torrents;  // the info-hashes it tracks (all of them, in open mode)
  // A connection that sends no whole head this long after it opened, or after its last answer, is closed.
  Duration request_timeout = std::chrono::seconds(10);
};

// One HTTP/1.1 tracker. Requests are read by Beast (HttpRequestReader) and answered in order. A connection is
// closed after its answer when the client asks for that ("Connection: close", as BitTorrent clients do, or
// HTTP/1.0), and otherwise kept for the client's next request (RFC 7230 section 6.3), until it is idle for
// request_timeout. A malformed request is answered and its connection closed. Routes:
//   GET .../announce  records the peer in the SwarmRegistry and answers interval, min interval, complete,
//                     incomplete and up to numwant random peers (compact when asked, else dictionaries);
//                     an unregistered torrent gets a "failure reason" (200, as BEP 3 says);
//   GET .../scrape    complete/downloaded/incomplete per torrent;
//   anything else     400 with a bencoded "failure reason" naming what is wrong.
// The peer's address is the connection's; its port is the announced one. Silent peers expire after the
// registry's timeout. Telemetry: status() fields torrents, peers, seeds, leechers, announces,
// announces_per_s, scrapes, failures, bad_requests, swarms[{info_hash, seeds, leechers, downloaded}].
class Tracker : public Core {
 public:
  Tracker(Runtime& runtime, TrackerConfig config);

  std::string_view system() const override { return "bittorrent"; }
  std::string_view role() const override { return "tracker"; }
  void on_start() override;
  std::unique_ptr<Framer> framer_for(ConnId conn, bool inbound) override;
  void on_connected(ConnId conn, bool inbound, const Endpoint& remote) override;
  void on_frame(ConnId conn, ByteView frame) override;
  void on_closed(ConnId conn, std::string_view reason) override;
  // Nothing to say on leaving: clients see the connection close, so the node ends at once.
  void on_leave() override { runtime_.stop(); }
  nlohmann::json status() const override;

  const SwarmRegistry& registry() const { return registry_; }

 private:
  struct Client {
    std::uint32_t address;
    TimePoint since;  // when it connected, or got its last answer
    HttpRequestReader reader;
  };

  // Answers one request; returns whether its connection stays open (a 400 always closes it).
  HttpConnection answer(ConnId conn, const Client& client, const HttpRequestHead& head);
  Bytes announce(const AnnounceRequest& request, std::uint32_t address);
  void reply(ConnId conn, int status, std::string_view reason, ByteView body, HttpConnection connection);
  void sweep();

  Runtime& runtime_;
  TrackerConfig config_;
  SwarmRegistry registry_;
  std::unordered_map<ConnId, Client> clients_;
  RateMeter announce_rate_;
  std::uint64_t announces_ = 0, scrapes_ = 0, failures_ = 0, bad_requests_ = 0;
};

}  // namespace p2p::bittorrent
