// The uploader's side of napster.txt section 4.1: request checks, refusals, and paced sending.
#include "napster/uploads.h"

#include <algorithm>

#include "common/content/safe_name.h"

namespace p2p::napster {

Uploads::Uploads(Runtime& runtime, SharedFiles& files, UploadConfig config, IsOffered offered)
    : TransferSet(runtime, config.pump_period, [this] { pump(); }),
      files_(files),
      config_(config),
      offered_(std::move(offered)),
      pacer_(config.pacing) {}

void Uploads::on_connected(ConnId conn) {
  Upload upload;
  upload.started = upload.last_progress = runtime_.now();
  transfers_.add(conn, std::move(upload));
  runtime_.send(conn, to_bytes(kGreeting));
}

void Uploads::on_frame(ConnId conn, ByteView frame) {
  Upload* found = transfers_.find(conn);
  if (found == nullptr) return;
  Upload& upload = *found;
  switch (upload.state) {
    case State::AwaitingGet:
      if (as_chars(frame) != kGet) {
        refuse(conn, kInvalidRequest, "bad_request", "expected GET");
        return;
      }
      upload.state = State::AwaitingRequest;
      return;
    case State::AwaitingRequest:
      start(conn, upload, frame);
      return;
    case State::Sending:
    case State::Sent:
    case State::Failed:
      return;  // a downloader has nothing more to say; the framer caps what it can make us hold
  }
}

void Uploads::start(ConnId conn, Upload& upload, ByteView line) {
  auto request = decode_request(line);
  if (!request) {
    refuse(conn, kInvalidRequest, "bad_request", request.reason());
    return;
  }
  const std::string& name = request->name;
  if (auto safe = content::check_safe_name(name); !safe) {
    refuse(conn, kInvalidRequest, "traversal", "\"" + name + "\": " + safe.reason());
    return;
  }
  auto file = files_.find(name);
  if (!file || !offered_(name)) {
    refuse(conn, kFileNotShared, "not_shared", "\"" + name + "\" is not shared");
    return;
  }
  if (request->offset > file->size) {
    refuse(conn, kInvalidRequest, "bad_request", "offset past the end of \"" + name + "\"");
    return;
  }
  std::size_t sending = transfers_.count_if([](const Upload& u) { return u.started_sending(); });
  if (sending >= config_.max_uploads) {
    refuse(conn, kUploadLimit, "busy", std::to_string(sending) + " uploads already running");
    return;
  }
  upload.state = State::Sending;
  upload.size = file->size;
  upload.next = request->offset;
  upload.request = std::move(request).value();
  // napster.txt: the uploader answers the file size, then the data from the offset.
  runtime_.send(conn, to_bytes(std::to_string(upload.size)));
}

void Uploads::refuse(ConnId conn, std::string_view answer, const std::string& kind,
                     const std::string& reason) {
  ++tally_.refused[kind];
  runtime_.send(conn, to_bytes(answer));
  runtime_.telemetry().event("request_refused", {{"kind", kind}, {"reason", reason}});
  runtime_.close(conn, "refused (" + kind + "): " + reason);
  transfers_.erase(conn);
}

void Uploads::pump() {
  TimePoint now = runtime_.now();
  std::size_t queued = 0;
  for (const auto& [conn, upload] : transfers_) queued += runtime_.queued_bytes(conn);
  std::size_t budget = pacer_.budget(queued, now);
  // One chunk per sending upload in turn, starting where the last top-up stopped, until the budget is spent.
  bool any_sending = true;
  while (budget > 0 && any_sending) {
    any_sending = false;
    auto first = transfers_.from(next_turn_);
    for (std::size_t i = 0; i < transfers_.size() && budget > 0; ++i, ++first) {
      if (first == transfers_.end()) first = transfers_.begin();
      auto& [conn, upload] = *first;
      if (upload.state != State::Sending) continue;
      std::size_t length = send_chunk(conn, upload, now);
      pacer_.sent(length);
      budget -= std::min(budget, length);
      any_sending = any_sending || upload.state == State::Sending;
      next_turn_ = ConnId(conn.value + 1);
    }
  }
  for (ConnId conn : transfers_.stalled(now, config_.stall_timeout)) runtime_.close(conn, "upload stalled");
}

std::size_t Uploads::send_chunk(ConnId conn, Upload& upload, TimePoint now) {
  auto length = static_cast<std::size_t>(std::min<std::uint64_t>(kTransferChunk, upload.size - upload.next));
  auto chunk = files_.read(upload.request.name, upload.next, length);
  if (!chunk || chunk->size() != length) {
    upload.state = State::Failed;
    runtime_.close(conn, "read failed: " + (chunk ? std::string("file shrank") : chunk.reason()));
    return 0;
  }
  upload.next += length;
  upload.sent += length;
  tally_.bytes += length;
  upload.last_progress = now;
  if (length > 0) runtime_.send(conn, std::move(chunk).value());
  if (upload.next == upload.size) upload.state = State::Sent;
  return length;
}

void Uploads::on_closed(ConnId conn, std::string_view reason) {
  if (!transfers_.owns(conn)) return;
  Upload upload = transfers_.take(conn);
  if (upload.started_sending()) finish(conn, upload, upload.state == State::Sent, reason);
}

// An upload counts as done once every byte was handed to the uplink and the downloader hung up.
void Uploads::finish(ConnId conn, const Upload& upload, bool ok, std::string_view reason) {
  tally_.count(ok);
  runtime_.telemetry().event("upload_done", {{"ok", ok},
                                             {"bytes", upload.sent},
                                             {"file", upload.request.name},
                                             {"to", upload.request.nick},
                                             {"conn", conn.value},
                                             {"duration_s", to_seconds(runtime_.now() - upload.started)},
                                             {"reason", ok ? std::string_view("complete") : reason}});
}

}  // namespace p2p::napster
