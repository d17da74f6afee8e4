// The downloader's side of HTTP file transfers: GET straight from the node that has the file (Gnutella's
// QueryHit, KaZaA's search reply), verified by hash.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/content/catalogue.h"
#include "common/http/message.h"
#include "common/node/core.h"
#include "common/transfer/tally.h"
#include "common/transfer/transfer_set.h"
#include "common/util/hash.h"

namespace p2p::transfer {

struct HttpDownloadConfig {
  Duration stall_timeout = seconds(30);  // no byte for this long fails the download
  std::size_t chunk = 16 * 1024;         // how the body is cut as it arrives
};

// One file to fetch: where, which catalogue file under which name (as the hit names it), the request target
// that asks for it there (http::get_target, http::hash_target), and the query it answers (for telemetry).
struct HttpDownloadOrder {
  Endpoint from;
  std::size_t file = 0;
  std::string name;
  std::string target;
  std::string query;
};

// One HTTP download in flight: its order, the catalogue file it must match, and how far it got.
struct HttpDownload {
  enum class State { AwaitingConnection, AwaitingHead, ReadingBody };
  HttpDownloadOrder order;
  const content::FileEntry* file = nullptr;
  State state = State::AwaitingConnection;
  http::ResponseParser parser;
  std::unique_ptr<Sha1Hasher> hasher;
  std::uint64_t received = 0;
  TimePoint started;
  TimePoint last_progress;
};

// Tracks every HTTP download in flight, each over its own TCP connection to the uploader (GDF Gnutella 0.6,
// 3). It sends the GET, reads the response head, checks that the length is the catalogue file's, hashes the
// body as it arrives, and keeps the file only if its SHA-1 is the catalogue's (content::file_sha1). A name
// from a hit is untrusted: one that could leave the shared folder (content::check_safe_name) or that is not
// the catalogue's name for that file is never asked for. Every order ends in exactly one download_done event.
class HttpDownloads : public TransferSet<HttpDownload, DownloadTally> {
 public:
  using Dial = std::function<ConnId(const Endpoint&)>;
  using OnVerified = std::function<void(std::size_t file)>;

  HttpDownloads(Runtime& runtime, std::shared_ptr<const content::Catalogue> catalogue, std::string user_agent,
                Dial dial, OnVerified on_verified, HttpDownloadConfig config = {});

  void start(HttpDownloadOrder order);
  void on_connected(ConnId conn);
  void on_frame(ConnId conn, ByteView frame);
  void on_closed(ConnId conn, std::string_view reason);
  bool fetching(std::size_t file) const;

 private:
  using State = HttpDownload::State;

  void on_head(ConnId conn, HttpDownload& download, const http::Response& response);
  void on_body(ConnId conn, HttpDownload& download, ByteView chunk);
  // Ends a download: one event, one count, and the connection closed if it is still open.
  void end(ConnId conn, bool ok, const std::string& reason, bool still_open = true);
  void report(const HttpDownloadOrder& order, std::uint64_t bytes, TimePoint started, bool ok,
              const std::string& reason);
  void check_stalls();

  std::shared_ptr<const content::Catalogue> catalogue_;
  std::string user_agent_;
  Dial dial_;
  OnVerified on_verified_;
  HttpDownloadConfig config_;
};

}  // namespace p2p::transfer
