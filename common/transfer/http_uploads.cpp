// Serving files over HTTP on a node's port.
#include "common/transfer/http_uploads.h"

#include <algorithm>

#include "common/content/content_bytes.h"
#include "common/http/file_requests.h"

namespace p2p::transfer {

HttpUploads::HttpUploads(Runtime& runtime, Resolve resolve, std::string server_name, HttpUploadConfig config)
    : TransferSet(runtime, config.pump_period, [this] { pump(); }),
      resolve_(std::move(resolve)),
      server_name_(std::move(server_name)),
      config_(config) {}

void HttpUploads::begin(ConnId conn, const Endpoint& remote, ByteView first_line) {
  HttpUpload upload;
  upload.remote = remote;
  upload.started = upload.last_progress = runtime_.now();
  transfers_.add(conn, std::move(upload));
  on_frame(conn, first_line);
}

void HttpUploads::on_frame(ConnId conn, ByteView frame) {
  HttpUpload* upload = transfers_.find(conn);
  if (upload == nullptr || upload->state != State::AwaitingHead)
    return;  // nothing is expected after the head
  auto head = upload->parser.feed(frame);
  if (!head) {
    refuse(conn, {400, "bad_request", head.reason()});
  } else if (head->has_value()) {
    // Whatever the client sends after its head is not read: cut it in chunks, not lines, so it cannot
    // trip the line cap.
    runtime_.set_framer(conn, std::make_unique<ChunkFramer>(config_.chunk));
    on_request(conn, *upload, **head);
  }
}

void HttpUploads::on_request(ConnId conn, HttpUpload& upload, const http::Request& request) {
  if (request.method != "GET") {
    refuse(conn, {400, "bad_request", "method " + request.method + " is not served"});
    return;
  }
  Resolved resolved = resolve_(request.target);
  if (const auto* refusal = std::get_if<Refusal>(&resolved)) {
    refuse(conn, *refusal);
    return;
  }
  std::size_t sending =
      transfers_.count_if([](const HttpUpload& u) { return u.state != State::AwaitingHead; });
  if (sending >= config_.max_uploads) {
    refuse(conn, {503, "busy", std::to_string(sending) + " uploads already running"});
    return;
  }
  upload.state = State::Sending;
  upload.file = std::get<const content::FileEntry*>(resolved);
  runtime_.send(conn, to_bytes(http::to_text(http::file_response(upload.file->size, server_name_))));
  pump();
}

void HttpUploads::refuse(ConnId conn, const Refusal& refusal) {
  ++tally_.refused[refusal.kind];
  runtime_.send(conn, to_bytes(http::to_text(http::refusal(refusal.status, server_name_))));
  runtime_.telemetry().event(
      "upload_refused", {{"status", refusal.status}, {"kind", refusal.kind}, {"reason", refusal.reason}});
  runtime_.close(conn, "upload refused (" + refusal.kind + "): " + refusal.reason);
  transfers_.erase(conn);
}

void HttpUploads::pump() {
  TimePoint now = runtime_.now();
  std::vector<ConnId> done;
  for (auto& [conn, upload] : transfers_) {
    while (upload.state == State::Sending && runtime_.queued_bytes(conn) < config_.window) {
      std::size_t length =
          static_cast<std::size_t>(std::min<std::uint64_t>(config_.chunk, upload.file->size - upload.next));
      if (length > 0) runtime_.send(conn, content::content_bytes(*upload.file, upload.next, length));
      upload.next += length;
      tally_.bytes += length;
      upload.last_progress = now;
      if (upload.next == upload.file->size) upload.state = State::Sent;
    }
    if (upload.state == State::Sent) {
      done.push_back(conn);
    } else if (now - upload.last_progress > config_.stall_timeout) {
      runtime_.close(conn,
                     upload.state == State::AwaitingHead ? "no complete request in time" : "upload stalled");
    }
  }
  // The close follows the queued bytes out (Runtime::close), so the body arrives whole.
  for (ConnId conn : done) {
    finish(transfers_.take(conn), true, "complete");
    runtime_.close(conn, "upload complete");
  }
}

void HttpUploads::on_closed(ConnId conn, std::string_view reason) {
  if (!transfers_.owns(conn)) return;
  HttpUpload upload = transfers_.take(conn);
  if (upload.state == State::Sending) finish(upload, false, reason);
}

void HttpUploads::finish(const HttpUpload& upload, bool ok, std::string_view reason) {
  tally_.count(ok);
  runtime_.telemetry().event("upload_done", {{"ok", ok},
                                             {"file", upload.file->index},
                                             {"name", upload.file->name},
                                             {"bytes", upload.next},
                                             {"to", upload.remote.host},
                                             {"duration_ms", to_millis(runtime_.now() - upload.started)},
                                             {"reason", reason}});
}

}  // namespace p2p::transfer
