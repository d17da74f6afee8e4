// Fetching files over HTTP and checking them against the catalogue.
#include "common/transfer/http_downloads.h"

#include <algorithm>

#include "common/content/content_bytes.h"
#include "common/content/safe_name.h"
#include "common/http/file_requests.h"

namespace p2p::transfer {

HttpDownloads::HttpDownloads(Runtime& runtime, std::shared_ptr<const content::Catalogue> catalogue,
                             std::string user_agent, Dial dial, OnVerified on_verified,
                             HttpDownloadConfig config)
    : TransferSet(runtime, seconds(1), [this] { check_stalls(); }),
      catalogue_(std::move(catalogue)),
      user_agent_(std::move(user_agent)),
      dial_(std::move(dial)),
      on_verified_(std::move(on_verified)),
      config_(config) {}

void HttpDownloads::start(HttpDownloadOrder order) {
  TimePoint now = runtime_.now();
  if (Status safe = content::check_safe_name(order.name); !safe) {
    report(order, 0, now, false, "unsafe file name in the hit: " + safe.reason());
    return;
  }
  if (order.file >= catalogue_->size() || catalogue_->file(order.file).name != order.name) {
    report(order, 0, now, false, "the hit names no catalogue file: nothing to verify it against");
    return;
  }
  HttpDownload download;
  download.file = &catalogue_->file(order.file);
  download.hasher = std::make_unique<Sha1Hasher>();
  download.started = download.last_progress = now;
  download.order = std::move(order);
  ConnId conn = dial_(download.order.from);
  transfers_.add(conn, std::move(download));
}

void HttpDownloads::on_connected(ConnId conn) {
  HttpDownload* download = transfers_.find(conn);
  if (download == nullptr) return;
  download->state = State::AwaitingHead;
  const HttpDownloadOrder& order = download->order;
  runtime_.send(conn, to_bytes(http::to_text(http::file_request(order.target, order.from, user_agent_))));
}

void HttpDownloads::on_frame(ConnId conn, ByteView frame) {
  HttpDownload* download = transfers_.find(conn);
  if (download == nullptr) return;
  download->last_progress = runtime_.now();
  if (download->state == State::ReadingBody) {
    on_body(conn, *download, frame);
    return;
  }
  auto head = download->parser.feed(frame);
  if (!head) {
    end(conn, false, "bad response: " + head.reason());
  } else if (head->has_value()) {
    on_head(conn, *download, **head);
  }
}

void HttpDownloads::on_head(ConnId conn, HttpDownload& download, const http::Response& response) {
  if (response.status != 200) {
    end(conn, false, "refused: " + std::to_string(response.status) + " " + response.reason);
    return;
  }
  auto length = response.content_length();
  if (!length) {
    end(conn, false, "bad response: " + length.reason());
  } else if (*length != download.file->size) {
    end(conn, false,
        "Content-Length " + std::to_string(*length) + " is not the file's size " +
            std::to_string(download.file->size));
  } else {
    download.state = State::ReadingBody;
    runtime_.set_framer(conn, std::make_unique<ChunkFramer>(config_.chunk));
  }
}

void HttpDownloads::on_body(ConnId conn, HttpDownload& download, ByteView chunk) {
  if (download.received + chunk.size() > download.file->size) {
    end(conn, false, "more bytes than Content-Length");
    return;
  }
  download.hasher->update(chunk);
  download.received += chunk.size();
  tally_.bytes += chunk.size();
  if (download.received < download.file->size) return;
  if (download.hasher->finish() != content::file_sha1(*download.file)) {
    ++tally_.corrupt;
    end(conn, false, "SHA-1 differs from the catalogue's");
    return;
  }
  std::size_t file = download.file->index;
  end(conn, true, "verified");
  on_verified_(file);
}

void HttpDownloads::on_closed(ConnId conn, std::string_view reason) {
  const HttpDownload* download = transfers_.find(conn);
  if (download == nullptr) return;
  std::string why = download->state == State::AwaitingConnection
                        ? std::string(reason)
                        : "closed after " + std::to_string(download->received) + " of " +
                              std::to_string(download->file->size) + " bytes: " + std::string(reason);
  end(conn, false, why, false);
}

void HttpDownloads::end(ConnId conn, bool ok, const std::string& reason, bool still_open) {
  if (!transfers_.owns(conn)) return;
  HttpDownload download = transfers_.take(conn);
  report(download.order, download.received, download.started, ok, reason);
  if (still_open) runtime_.close(conn, ok ? "download complete" : "download failed: " + reason);
}

// download_done: a download is verified exactly when it is ok, since only a matching SHA-1 completes it.
void HttpDownloads::report(const HttpDownloadOrder& order, std::uint64_t bytes, TimePoint started, bool ok,
                           const std::string& reason) {
  tally_.count(ok);
  std::uint64_t size = order.file < catalogue_->size() ? catalogue_->file(order.file).size : 0;
  runtime_.telemetry().event("download_done", {{"ok", ok},
                                               {"verified", ok},
                                               {"file", order.file},
                                               {"name", order.name},
                                               {"size", size},
                                               {"bytes", bytes},
                                               {"from", order.from.str()},
                                               {"query", order.query},
                                               {"duration_ms", to_millis(runtime_.now() - started)},
                                               {"reason", reason}});
}

bool HttpDownloads::fetching(std::size_t file) const {
  return std::any_of(transfers_.begin(), transfers_.end(),
                     [&](const auto& entry) { return entry.second.file->index == file; });
}

void HttpDownloads::check_stalls() {
  for (ConnId conn : transfers_.stalled(runtime_.now(), config_.stall_timeout)) end(conn, false, "stalled");
}

}  // namespace p2p::transfer
