// The downloader's side of napster.txt section 4.1: fetching a file straight from its owner and checking its
// MD5.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/node/core.h"
#include "common/transfer/tally.h"
#include "common/transfer/transfer_set.h"
#include "napster/message.h"
#include "napster/shared_files.h"
#include "napster/transfer.h"

namespace p2p::napster {

struct DownloadConfig {
  Duration stall_timeout = seconds(30);  // no byte for this long fails the download
};

// One file to fetch: from whom and where (the 204 ack), and what it must be (the 201 result's size and MD5).
struct DownloadOrder {
  std::string owner_nick;
  Endpoint owner;
  FileInfo file;
  TimePoint
      requested;  // when the peer asked the server (203): the start of the download as telemetry counts it
};

// One download in flight: its order, where its bytes go, and how far it got.
struct Download {
  DownloadOrder order;
  std::unique_ptr<FileSink> sink;
  std::unique_ptr<Md5Hasher> hasher;
  DownloadReceiver receiver;
  bool greeted = false;
  TimePoint last_progress;
};

// Tracks every download in flight over its own TCP connection to the owner's data port. It waits for the "1",
// sends GET and the request, reads the size and the bytes (DownloadReceiver), hashes them as they come, and
// keeps the file only if the MD5 matches the one the index advertised. None of this involves the server, so a
// download carries on when the server dies: the lab's point. Every download ends in one download_done event.
class Downloads : public transfer::TransferSet<Download, transfer::DownloadTally> {
 public:
  using Dial = std::function<ConnId(const Endpoint&)>;
  using OnVerified = std::function<void(const SharedFile&)>;

  Downloads(Runtime& runtime, SharedFiles& files, std::string my_nick, Dial dial, OnVerified on_verified,
            DownloadConfig config = {});

  void start(DownloadOrder order);
  // Reports a download that ended before its transfer began (no ack, owner firewalled, server gone).
  void fail_unstarted(const FileInfo& file, TimePoint requested, const std::string& reason);

  void on_frame(ConnId conn, ByteView frame);
  void on_closed(ConnId conn, std::string_view reason);
  bool fetching(std::string_view name) const;

 private:
  enum class Md5Check { NotReached, Passed, Failed };

  void receive(ConnId conn, Download& download, ByteView chunk);
  void finish(ConnId conn, Download& download);
  // Ends a download: one event, one count, and the connection closed if it is still open.
  void end(ConnId conn, bool ok, Md5Check md5, const std::string& reason, bool still_open = true);
  void report(const DownloadOrder& order, std::uint64_t bytes, bool ok, Md5Check md5,
              const std::string& reason);
  void check_stalls();

  SharedFiles& files_;
  std::string my_nick_;
  Dial dial_;
  OnVerified on_verified_;
  DownloadConfig config_;
};

}  // namespace p2p::napster
