// Fetching files over HTTP and checking them against the catalogue.
#include "gnutella/downloads.h"

#include "common/content/safe_name.h"
#include "common/content/shared_folder.h"

namespace p2p::gnutella {

Downloads::Downloads(Runtime& runtime, std::shared_ptr<const content::Catalogue> catalogue,
                     std::string user_agent, Dial dial, OnVerified on_verified, DownloadConfig config)
    : runtime_(runtime),
      catalogue_(std::move(catalogue)),
      user_agent_(std::move(user_agent)),
      dial_(std::move(dial)),
      on_verified_(std::move(on_verified)),
      config_(config),
      stall_timer_(runtime, seconds(1), [this] { check_stalls(); }) {}

void Downloads::start(DownloadOrder order) {
  TimePoint now = runtime_.now();
  const http::GetTarget& file = order.file;
  if (Status safe = content::check_safe_name(file.name); !safe) {
    report(order, 0, now, false, false, "unsafe file name in the hit: " + safe.reason());
    return;
  }
  if (file.index >= catalogue_->size() || catalogue_->file(file.index).name != file.name) {
    report(order, 0, now, false, false, "the hit names no catalogue file: nothing to verify it against");
    return;
  }
  Active download;
  download.file = &catalogue_->file(file.index);
  download.hasher = std::make_unique<Sha1Hasher>();
  download.started = download.last_progress = now;
  download.order = std::move(order);
  ConnId conn = dial_(download.order.from);
  active_.emplace(conn, std::move(download));
  stall_timer_.set_busy(!active_.empty());
}

void Downloads::on_connected(ConnId conn) {
  auto it = active_.find(conn);
  if (it == active_.end()) return;
  it->second.state = State::AwaitingHead;
  runtime_.send(conn, to_bytes(http::to_text(http::file_request(http::get_target(it->second.order.file),
                                                                it->second.order.from, user_agent_))));
}

void Downloads::on_frame(ConnId conn, ByteView frame) {
  auto it = active_.find(conn);
  if (it == active_.end()) return;
  Active& download = it->second;
  download.last_progress = runtime_.now();
  if (download.state == State::ReadingBody) {
    on_body(conn, download, frame);
    return;
  }
  auto head = download.parser.feed(frame);
  if (!head) {
    end(conn, false, false, "bad response: " + head.reason());
  } else if (head->has_value()) {
    on_head(conn, download, **head);
  }
}

void Downloads::on_head(ConnId conn, Active& download, const http::Response& response) {
  if (response.status != 200) {
    end(conn, false, false, "refused: " + std::to_string(response.status) + " " + response.reason);
    return;
  }
  auto length = response.content_length();
  if (!length) {
    end(conn, false, false, "bad response: " + length.reason());
  } else if (*length != download.file->size) {
    end(conn, false, false,
        "Content-Length " + std::to_string(*length) + " is not the file's size " +
            std::to_string(download.file->size));
  } else {
    download.state = State::ReadingBody;
    runtime_.set_framer(conn, std::make_unique<ChunkFramer>(config_.chunk));
  }
}

void Downloads::on_body(ConnId conn, Active& download, ByteView chunk) {
  if (download.received + chunk.size() > download.file->size) {
    end(conn, false, false, "more bytes than Content-Length");
    return;
  }
  download.hasher->update(chunk);
  download.received += chunk.size();
  bytes_received_ += chunk.size();
  if (download.received < download.file->size) return;
  if (download.hasher->finish() != content::file_sha1(*download.file)) {
    ++corrupt_;
    end(conn, false, false, "SHA-1 differs from the catalogue's");
    return;
  }
  std::size_t index = download.file->index;
  end(conn, true, true, "verified");
  on_verified_(index);
}

void Downloads::on_closed(ConnId conn, std::string_view reason) {
  auto it = active_.find(conn);
  if (it == active_.end()) return;
  std::string why = it->second.state == State::AwaitingConnection
                        ? std::string(reason)
                        : "closed after " + std::to_string(it->second.received) + " of " +
                              std::to_string(it->second.file->size) + " bytes: " + std::string(reason);
  end(conn, false, false, why, false);
}

void Downloads::end(ConnId conn, bool ok, bool verified, const std::string& reason, bool still_open) {
  auto it = active_.find(conn);
  if (it == active_.end()) return;
  Active download = std::move(it->second);
  active_.erase(it);
  report(download.order, download.received, download.started, ok, verified, reason);
  if (still_open) runtime_.close(conn, ok ? "download complete" : "download failed: " + reason);
  stall_timer_.set_busy(!active_.empty());
}

void Downloads::report(const DownloadOrder& order, std::uint64_t bytes, TimePoint started, bool ok,
                       bool verified, const std::string& reason) {
  ++(ok ? ok_ : failed_);
  std::uint64_t size = order.file.index < catalogue_->size() ? catalogue_->file(order.file.index).size : 0;
  runtime_.telemetry().event("download_done", {{"ok", ok},
                                               {"verified", verified},
                                               {"file", order.file.index},
                                               {"name", order.file.name},
                                               {"size", size},
                                               {"bytes", bytes},
                                               {"from", order.from.str()},
                                               {"query", order.query},
                                               {"duration_ms", to_millis(runtime_.now() - started)},
                                               {"reason", reason}});
}

bool Downloads::fetching(std::size_t index) const {
  for (const auto& [conn, download] : active_) {
    if (download.file->index == index) return true;
  }
  return false;
}

void Downloads::check_stalls() {
  TimePoint now = runtime_.now();
  std::vector<ConnId> stalled;
  for (const auto& [conn, download] : active_) {
    if (now - download.last_progress > config_.stall_timeout) stalled.push_back(conn);
  }
  for (ConnId conn : stalled) end(conn, false, false, "stalled");
}

nlohmann::json Downloads::status() const {
  return {{"downloads_active", active_.size()},
          {"downloads_ok", ok_},
          {"downloads_failed", failed_},
          {"downloads_corrupt", corrupt_},
          {"bytes_down", bytes_received_}};
}

}  // namespace p2p::gnutella
