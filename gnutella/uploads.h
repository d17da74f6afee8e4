// The uploader's side of Gnutella downloads: serving `GET /get/<index>/<name>` from the shared files.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/http/file_requests.h"
#include "common/node/busy_timer.h"
#include "common/node/core.h"
#include "gnutella/shared_index.h"

namespace p2p::gnutella {

struct UploadConfig {
  std::size_t max_uploads = 8;  // more concurrent transfers are refused with 503
  std::size_t window =
      32 * 1024;  // bytes kept queued per upload: the uplink is one FIFO shared with descriptors
  std::size_t chunk = 16 * 1024;
  Duration pump_period = milliseconds(10);  // how often the windows are topped up
  Duration stall_timeout = seconds(60);     // no progress (or no complete request) for this long closes it
};

// Serves the HTTP connections that arrive on the servent's Gnutella port (GDF Gnutella 0.6, 3: "file
// downloads are done with HTTP", on the same port the servent listens on). It reads the request head, and
// answers 200 with the file's bytes, or refuses: 400 for a malformed request or a name that could leave the
// shared folder (content::check_safe_name, after %-decoding), 404 for a file not shared under that index
// and name, 503 when every upload slot is taken. A body is sent a window at a time as the uplink drains, then
// the connection is closed, as "Connection: close" promised. Range requests are not served: every answer is
// the whole file. Telemetry: upload_done, upload_refused.
class Uploads {
 public:
  Uploads(Runtime& runtime, const SharedIndex& files, std::string server_name, UploadConfig config = {});
  Uploads(const Uploads&) = delete;
  Uploads& operator=(const Uploads&) = delete;

  // An inbound connection whose first line (given, CRLF included) said GET: from now on it is an upload,
  // fed the rest of its head line by line.
  void begin(ConnId conn, const Endpoint& remote, ByteView first_line);
  void on_frame(ConnId conn, ByteView frame);
  void on_closed(ConnId conn, std::string_view reason);
  bool owns(ConnId conn) const { return uploads_.contains(conn); }

  std::size_t active() const { return uploads_.size(); }
  std::uint64_t bytes_sent() const { return bytes_sent_; }
  nlohmann::json status() const;

 private:
  enum class State { AwaitingHead, Sending, Sent };
  struct Upload {
    State state = State::AwaitingHead;
    Endpoint remote;
    http::RequestParser parser;
    http::GetTarget request;
    const content::FileEntry* file = nullptr;
    std::uint64_t next = 0;  // next byte to send
    TimePoint started;
    TimePoint last_progress;
  };

  void on_request(ConnId conn, Upload& upload, const http::Request& request);
  void refuse(ConnId conn, int status, const std::string& kind, const std::string& reason);
  void pump();
  void finish(ConnId conn, const Upload& upload, bool ok, std::string_view reason);
  std::size_t sending() const;

  Runtime& runtime_;
  const SharedIndex& files_;
  std::string server_name_;
  UploadConfig config_;
  std::map<ConnId, Upload> uploads_;  // ordered: uploads share the uplink in a replayable order
  BusyTimer pump_timer_;              // while uploads_ is not empty
  std::uint64_t bytes_sent_ = 0;
  std::uint64_t ok_ = 0;
  std::uint64_t failed_ = 0;
  std::map<std::string, std::uint64_t> refused_;  // by kind: bad_request, unsafe_name, not_shared, busy
};

}  // namespace p2p::gnutella
