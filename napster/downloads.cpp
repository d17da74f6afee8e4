// The downloader's side of napster.txt section 4.1.
#include "napster/downloads.h"

#include <algorithm>

namespace p2p::napster {

Downloads::Downloads(Runtime& runtime, SharedFiles& files, std::string my_nick, Dial dial,
                     OnVerified on_verified, DownloadConfig config)
    : TransferSet(runtime, seconds(1), [this] { check_stalls(); }),
      files_(files),
      my_nick_(std::move(my_nick)),
      dial_(std::move(dial)),
      on_verified_(std::move(on_verified)),
      config_(config) {}

void Downloads::start(DownloadOrder order) {
  SharedFile target{order.file.name, order.file.size, order.file.md5};
  auto sink = files_.create(target);
  if (!sink) {
    fail_unstarted(order.file, order.requested, "cannot store: " + sink.reason());
    return;
  }
  ConnId conn = dial_(order.owner);
  transfers_.add(conn, Download{std::move(order), std::move(sink).value(), std::make_unique<Md5Hasher>(),
                                DownloadReceiver(target.size), false, runtime_.now()});
}

void Downloads::fail_unstarted(const FileInfo& file, TimePoint requested, const std::string& reason) {
  report(DownloadOrder{"", {}, file, requested}, 0, false, Md5Check::NotReached, reason);
}

bool Downloads::fetching(std::string_view name) const {
  return std::any_of(transfers_.begin(), transfers_.end(),
                     [&](const auto& a) { return a.second.order.file.name == name; });
}

void Downloads::on_frame(ConnId conn, ByteView frame) {
  Download* download = transfers_.find(conn);
  if (download == nullptr) return;
  if (download->greeted) {
    receive(conn, *download, frame);
    return;
  }
  if (as_chars(frame) != kGreeting) {
    end(conn, false, Md5Check::NotReached, "uploader did not greet with \"1\"");
    return;
  }
  download->greeted = true;
  // napster.txt: "GET" in a packet of its own, then the request.
  runtime_.send(conn, to_bytes(kGet));
  runtime_.send(conn, encode_request({my_nick_, download->order.file.name, 0}));
}

void Downloads::receive(ConnId conn, Download& download, ByteView chunk) {
  auto data = download.receiver.feed(chunk);
  if (!data) {
    end(conn, false, Md5Check::NotReached, data.reason());
    return;
  }
  if (auto written = download.sink->write(*data); !written) {
    end(conn, false, Md5Check::NotReached, "cannot store: " + written.reason());
    return;
  }
  download.hasher->update(*data);
  tally_.bytes += data->size();
  download.last_progress = runtime_.now();
  if (download.receiver.complete()) finish(conn, download);
}

void Downloads::finish(ConnId conn, Download& download) {
  if (download.hasher->finish() != download.order.file.md5) {
    end(conn, false, Md5Check::Failed, "md5 mismatch");
    return;
  }
  if (auto committed = download.sink->commit(); !committed) {
    end(conn, false, Md5Check::Passed, "cannot store: " + committed.reason());
    return;
  }
  on_verified_(SharedFile{download.order.file.name, download.order.file.size, download.order.file.md5});
  end(conn, true, Md5Check::Passed, "complete");
}

void Downloads::on_closed(ConnId conn, std::string_view reason) {
  if (transfers_.owns(conn)) {
    end(conn, false, Md5Check::NotReached, "connection closed: " + std::string(reason), false);
  }
}

void Downloads::end(ConnId conn, bool ok, Md5Check md5, const std::string& reason, bool still_open) {
  Download download = transfers_.take(conn);
  report(download.order, download.receiver.received(), ok, md5, reason);
  if (still_open) runtime_.close(conn, ok ? "download complete" : reason);
}

// download_done: md5_ok is true or false once the whole file arrived, null when it never did, so a summary
// can tell corrupt files from broken transfers.
void Downloads::report(const DownloadOrder& order, std::uint64_t bytes, bool ok, Md5Check md5,
                       const std::string& reason) {
  tally_.count(ok);
  if (md5 == Md5Check::Failed) ++tally_.corrupt;
  nlohmann::json md5_ok =
      md5 == Md5Check::NotReached ? nlohmann::json(nullptr) : nlohmann::json(md5 == Md5Check::Passed);
  runtime_.telemetry().event("download_done", {{"ok", ok},
                                               {"bytes", bytes},
                                               {"md5_ok", md5_ok},
                                               {"file", order.file.name},
                                               {"from", order.owner_nick},
                                               {"duration_s", to_seconds(runtime_.now() - order.requested)},
                                               {"reason", reason}});
}

void Downloads::check_stalls() {
  for (ConnId conn : transfers_.stalled(runtime_.now(), config_.stall_timeout)) {
    end(conn, false, Md5Check::NotReached, "stalled");
  }
}

}  // namespace p2p::napster
