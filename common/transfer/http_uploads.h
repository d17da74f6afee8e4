// The uploader's side of HTTP file transfers: serving `GET <target>` from the shared catalogue files.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>

#include "common/content/catalogue.h"
#include "common/http/message.h"
#include "common/node/core.h"
#include "common/transfer/tally.h"
#include "common/transfer/transfer_set.h"

namespace p2p::transfer {

struct HttpUploadConfig {
  std::size_t max_uploads = 8;  // more concurrent transfers are refused with 503
  // Bytes kept queued per upload: what its connection's next message waits behind on the shaped uplink,
  // which shares its rate fairly between connections (common/net/link_shaper.h).
  std::size_t window = 32 * 1024;
  std::size_t chunk = 16 * 1024;
  Duration pump_period = milliseconds(10);  // how often the windows are topped up
  Duration stall_timeout = seconds(60);     // no progress (or no complete request) for this long closes it
};

// Why a request is not served: the status it is answered with, the kind it is counted under, and the reason.
struct Refusal {
  int status = 404;
  std::string kind;
  std::string reason;
};
// The shared file a request target names, or why it is not served. Each system reads its own target forms
// (Gnutella's /get/<index>/<name>, KaZaA's /.hash=<hex>) and knows what it shares.
using Resolved = std::variant<const content::FileEntry*, Refusal>;
using Resolve = std::function<Resolved(std::string_view target)>;

// One HTTP upload in flight: its request head as it arrives, then the file and how far it got.
struct HttpUpload {
  enum class State { AwaitingHead, Sending, Sent };
  State state = State::AwaitingHead;
  Endpoint remote;
  http::RequestParser parser;
  const content::FileEntry* file = nullptr;
  std::uint64_t next = 0;  // next byte to send
  TimePoint started;
  TimePoint last_progress;
};

// Serves the HTTP requests that arrive on a node's port (GDF Gnutella 0.6, 3: "file downloads are done with
// HTTP", on the same port the servent listens on). It reads the request head, and answers 200 with the file's
// bytes, or refuses: 400 for a malformed request or a method other than GET, what `resolve` says for a target
// that names no shared file, 503 when every upload slot is taken. A body is sent a window at a time as the
// uplink drains, then the connection is closed, as "Connection: close" promised. Range requests are not
// served: every answer is the whole file. Telemetry: upload_done, upload_refused. Refusals are counted by
// kind: bad_request, busy, and the kinds `resolve` gives.
class HttpUploads : public TransferSet<HttpUpload, UploadTally> {
 public:
  HttpUploads(Runtime& runtime, Resolve resolve, std::string server_name, HttpUploadConfig config = {});

  // An inbound connection whose first line (given, CRLF included) said GET: from now on it is an upload,
  // fed the rest of its head line by line.
  void begin(ConnId conn, const Endpoint& remote, ByteView first_line);
  void on_frame(ConnId conn, ByteView frame);
  void on_closed(ConnId conn, std::string_view reason);

 private:
  using State = HttpUpload::State;

  void on_request(ConnId conn, HttpUpload& upload, const http::Request& request);
  void refuse(ConnId conn, const Refusal& refusal);
  void pump();
  void finish(const HttpUpload& upload, bool ok, std::string_view reason);

  Resolve resolve_;
  std::string server_name_;
  HttpUploadConfig config_;
};

}  // namespace p2p::transfer
