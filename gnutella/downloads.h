// The downloader's side of Gnutella downloads: HTTP GET straight from the servent named in a QueryHit.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/content/catalogue.h"
#include "common/http/file_requests.h"
#include "common/node/busy_timer.h"
#include "common/node/core.h"
#include "common/util/hash.h"

namespace p2p::gnutella {

struct DownloadConfig {
  Duration stall_timeout = seconds(30);  // no byte for this long fails the download
  std::size_t chunk = 16 * 1024;         // how the body is cut as it arrives
};

// One file to fetch, as a QueryHit names it: where (the hit's ip:port), which (its index and name), and for
// which query (the GUID, for telemetry).
struct DownloadOrder {
  Endpoint from;
  http::GetTarget file;
  std::string query;
};

// Tracks every download in flight, each over its own TCP connection to the uploader's Gnutella port
// (GDF Gnutella 0.6, 3). It sends the GET, reads the response head, checks that the length is the
// catalogue file's, hashes the body as it arrives, and keeps the file only if its SHA-1 is the catalogue's
// (content::file_sha1). A name from a hit is untrusted: one that could leave the shared folder
// (content::check_safe_name) or that is not the catalogue's name for that index is never asked for.
// Every order ends in exactly one download_done event.
class Downloads {
 public:
  using Dial = std::function<ConnId(const Endpoint&)>;
  using OnVerified = std::function<void(std::size_t index)>;

  Downloads(Runtime& runtime, std::shared_ptr<const content::Catalogue> catalogue, std::string user_agent,
            Dial dial, OnVerified on_verified, DownloadConfig config = {});
  Downloads(const Downloads&) = delete;
  Downloads& operator=(const Downloads&) = delete;

  void start(DownloadOrder order);

  void on_connected(ConnId conn);
  void on_frame(ConnId conn, ByteView frame);
  void on_closed(ConnId conn, std::string_view reason);
  bool owns(ConnId conn) const { return active_.contains(conn); }
  bool fetching(std::size_t index) const;
  std::size_t active() const { return active_.size(); }
  std::uint64_t bytes_received() const { return bytes_received_; }
  nlohmann::json status() const;

 private:
  enum class State { AwaitingConnection, AwaitingHead, ReadingBody };
  struct Active {
    DownloadOrder order;
    const content::FileEntry* file = nullptr;
    State state = State::AwaitingConnection;
    http::ResponseParser parser;
    std::unique_ptr<Sha1Hasher> hasher;
    std::uint64_t received = 0;
    TimePoint started;
    TimePoint last_progress;
  };

  void on_head(ConnId conn, Active& download, const http::Response& response);
  void on_body(ConnId conn, Active& download, ByteView chunk);
  // Ends a download: one event, one counter, and the connection closed if it is still open.
  void end(ConnId conn, bool ok, bool verified, const std::string& reason, bool still_open = true);
  void report(const DownloadOrder& order, std::uint64_t bytes, TimePoint started, bool ok, bool verified,
              const std::string& reason);
  void check_stalls();

  Runtime& runtime_;
  std::shared_ptr<const content::Catalogue> catalogue_;
  std::string user_agent_;
  Dial dial_;
  OnVerified on_verified_;
  DownloadConfig config_;
  std::map<ConnId, Active> active_;
  BusyTimer stall_timer_;  // while active_ is not empty
  std::uint64_t bytes_received_ = 0;
  std::uint64_t ok_ = 0;
  std::uint64_t failed_ = 0;
  std::uint64_t corrupt_ = 0;
};

}  // namespace p2p::gnutella
