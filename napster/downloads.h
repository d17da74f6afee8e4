// The downloader's side of napster.txt section 4.1: fetching a file straight from its owner and checking its
// MD5.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "common/node/busy_timer.h"
#include "common/node/core.h"
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

// Tracks every download in flight over its own TCP connection to the owner's data port. It waits for the "1",
// sends GET and the request, reads the size and the bytes (DownloadReceiver), hashes them as they come, and
// keeps the file only if the MD5 matches the one the index advertised. None of this involves the server, so a
// download carries on when the server dies: the lab's point. Every download ends in one download_done event.
class Downloads {
 public:
  using Dial = std::function<ConnId(const Endpoint&)>;
  using OnVerified = std::function<void(const SharedFile&)>;

  Downloads(Runtime& runtime, SharedFiles& files, std::string my_nick, Dial dial, OnVerified on_verified,
            DownloadConfig config = {});
  Downloads(const Downloads&) = delete;
  Downloads& operator=(const Downloads&) = delete;

  void start(DownloadOrder order);
  // Reports a download that ended before its transfer began (no ack, owner firewalled, server gone).
  void fail_unstarted(const FileInfo& file, TimePoint requested, const std::string& reason);

  void on_frame(ConnId conn, ByteView frame);
  void on_closed(ConnId conn, std::string_view reason);
  bool owns(ConnId conn) const { return active_.contains(conn); }
  bool fetching(std::string_view name) const;
  std::size_t active() const { return active_.size(); }
  std::uint64_t bytes_received() const { return bytes_received_; }
  nlohmann::json status() const;

 private:
  struct Active {
    DownloadOrder order;
    std::unique_ptr<FileSink> sink;
    std::unique_ptr<Md5Hasher> hasher;
    DownloadReceiver receiver;
    bool greeted = false;
    TimePoint last_progress;
  };
  enum class Md5Check { NotReached, Passed, Failed };

  void receive(ConnId conn, Active& download, ByteView chunk);
  void finish(ConnId conn, Active& download);
  // Ends a download: one event, one counter, and the connection closed if it is still open.
  void end(ConnId conn, bool ok, Md5Check md5, const std::string& reason, bool still_open = true);
  void report(const DownloadOrder& order, std::uint64_t bytes, bool ok, Md5Check md5,
              const std::string& reason);
  void check_stalls();

  Runtime& runtime_;
  SharedFiles& files_;
  std::string my_nick_;
  Dial dial_;
  OnVerified on_verified_;
  DownloadConfig config_;
  std::unordered_map<ConnId, Active> active_;
  BusyTimer stall_timer_;  // while active_ is not empty
  std::uint64_t bytes_received_ = 0;
  std::uint64_t ok_ = 0;
  std::uint64_t failed_ = 0;
  std::uint64_t corrupt_ = 0;
};

}  // namespace p2p::napster
