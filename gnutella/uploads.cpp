// Serving files over HTTP on the servent's port.
#include "gnutella/uploads.h"

#include <algorithm>

#include "common/content/safe_name.h"
#include "common/content/shared_folder.h"

namespace p2p::gnutella {

Uploads::Uploads(Runtime& runtime, const SharedIndex& files, std::string server_name, UploadConfig config)
    : runtime_(runtime),
      files_(files),
      server_name_(std::move(server_name)),
      config_(config),
      pump_timer_(runtime, config.pump_period, [this] { pump(); }) {}

void Uploads::begin(ConnId conn, const Endpoint& remote, ByteView first_line) {
  Upload& upload = uploads_[conn];
  upload.remote = remote;
  upload.started = upload.last_progress = runtime_.now();
  pump_timer_.set_busy(!uploads_.empty());
  on_frame(conn, first_line);
}

void Uploads::on_frame(ConnId conn, ByteView frame) {
  auto it = uploads_.find(conn);
  if (it == uploads_.end() || it->second.state != State::AwaitingHead)
    return;  // nothing is expected after the head
  Upload& upload = it->second;
  auto head = upload.parser.feed(frame);
  if (!head) {
    refuse(conn, 400, "bad_request", head.reason());
  } else if (head->has_value()) {
    // Whatever the client sends after its head is not read: cut it in chunks, not lines, so it cannot
    // trip the line cap.
    runtime_.set_framer(conn, std::make_unique<ChunkFramer>(config_.chunk));
    on_request(conn, upload, **head);
  }
}

void Uploads::on_request(ConnId conn, Upload& upload, const http::Request& request) {
  if (request.method != "GET") {
    refuse(conn, 400, "bad_request", "method " + request.method + " is not served");
    return;
  }
  auto target = http::parse_get_target(request.target);
  if (!target) {
    refuse(conn, 400, "bad_request", target.reason());
    return;
  }
  if (Status safe = content::check_safe_name(target->name); !safe) {
    refuse(conn, 400, "unsafe_name", "\"" + target->name + "\": " + safe.reason());
    return;
  }
  const content::FileEntry* file = files_.find(target->index, target->name);
  if (file == nullptr) {
    refuse(conn, 404, "not_shared", "no shared file " + std::to_string(target->index) + "/" + target->name);
    return;
  }
  if (sending() >= config_.max_uploads) {
    refuse(conn, 503, "busy", std::to_string(sending()) + " uploads already running");
    return;
  }
  upload.state = State::Sending;
  upload.request = std::move(target).value();
  upload.file = file;
  runtime_.send(conn, to_bytes(http::to_text(http::file_response(file->size, server_name_))));
  pump();
}

void Uploads::refuse(ConnId conn, int status, const std::string& kind, const std::string& reason) {
  ++refused_[kind];
  runtime_.send(conn, to_bytes(http::to_text(http::refusal(status, server_name_))));
  runtime_.telemetry().event("upload_refused", {{"status", status}, {"kind", kind}, {"reason", reason}});
  runtime_.close(conn, "upload refused (" + kind + "): " + reason);
  uploads_.erase(conn);
  pump_timer_.set_busy(!uploads_.empty());
}

void Uploads::pump() {
  TimePoint now = runtime_.now();
  std::vector<ConnId> done;
  for (auto& [conn, upload] : uploads_) {
    while (upload.state == State::Sending && runtime_.queued_bytes(conn) < config_.window) {
      std::size_t length =
          static_cast<std::size_t>(std::min<std::uint64_t>(config_.chunk, upload.file->size - upload.next));
      if (length > 0) runtime_.send(conn, content::content_bytes(*upload.file, upload.next, length));
      upload.next += length;
      bytes_sent_ += length;
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
    finish(conn, uploads_.at(conn), true, "complete");
    runtime_.close(conn, "upload complete");
    uploads_.erase(conn);
  }
  pump_timer_.set_busy(!uploads_.empty());
}

void Uploads::on_closed(ConnId conn, std::string_view reason) {
  auto it = uploads_.find(conn);
  if (it == uploads_.end()) return;
  if (it->second.state == State::Sending) finish(conn, it->second, false, reason);
  uploads_.erase(it);
  pump_timer_.set_busy(!uploads_.empty());
}

void Uploads::finish(ConnId, const Upload& upload, bool ok, std::string_view reason) {
  ++(ok ? ok_ : failed_);
  runtime_.telemetry().event("upload_done", {{"ok", ok},
                                             {"file", upload.request.index},
                                             {"name", upload.request.name},
                                             {"bytes", upload.next},
                                             {"to", upload.remote.host},
                                             {"duration_ms", to_millis(runtime_.now() - upload.started)},
                                             {"reason", reason}});
}

std::size_t Uploads::sending() const {
  return static_cast<std::size_t>(std::count_if(
      uploads_.begin(), uploads_.end(), [](const auto& u) { return u.second.state != State::AwaitingHead; }));
}

nlohmann::json Uploads::status() const {
  return {{"uploads_active", uploads_.size()},
          {"uploads_ok", ok_},
          {"uploads_failed", failed_},
          {"refused", refused_}};
}

}  // namespace p2p::gnutella
