// The uploader's side of napster.txt section 4.1: serving files from the shared folder on the peer's data
// port.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "common/node/busy_timer.h"
#include "common/node/core.h"
#include "napster/shared_files.h"
#include "napster/transfer.h"
#include "napster/uplink_pacer.h"

namespace p2p::napster {

struct UploadConfig {
  std::size_t max_uploads = 8;              // more concurrent requests are refused
  PacerConfig pacing;                       // how much file data all uploads together keep on the uplink
  Duration pump_period = milliseconds(10);  // how often the uplink queue is topped up
  Duration stall_timeout = seconds(60);     // no progress for this long closes the connection
};

// Serves each inbound data connection: greets it with "1", reads GET and the request line, and answers the
// size and the file's bytes, or a refusal. It only ever reads from the shared folder: a name that could leave
// it ("..", an absolute path, a separator) is refused as INVALID REQUEST and counted as traversal, a name
// that is not shared (not in the folder, or one the peer keeps to itself) as FILE NOT SHARED. Data goes out
// as the uplink drains: every pump period the uploads top the node's uplink queue up to the UplinkPacer's
// target, a chunk each in turn, so an upload neither buffers a whole file nor starves the peer's messages to
// the server, and the uploads share the link evenly.
class Uploads {
 public:
  // Says whether the peer offers a file of its folder to others (a free rider offers none).
  using IsOffered = std::function<bool(std::string_view name)>;

  Uploads(
      Runtime& runtime, SharedFiles& files, UploadConfig config = {},
      IsOffered offered = [](std::string_view) { return true; });
  Uploads(const Uploads&) = delete;
  Uploads& operator=(const Uploads&) = delete;

  void on_connected(ConnId conn);
  void on_frame(ConnId conn, ByteView frame);
  void on_closed(ConnId conn, std::string_view reason);
  bool owns(ConnId conn) const { return uploads_.contains(conn); }

  std::size_t active() const { return uploads_.size(); }
  std::uint64_t bytes_sent() const { return bytes_sent_; }
  nlohmann::json status() const;

 private:
  // Sent: every byte is on the uplink, and the downloader hangs up when it has them. Failed: the file could
  // not be read, and the connection is closing.
  enum class State { AwaitingGet, AwaitingRequest, Sending, Sent, Failed };
  struct Upload {
    State state = State::AwaitingGet;
    TransferRequest request;
    std::uint64_t size = 0;
    std::uint64_t next = 0;  // next file offset to send
    std::uint64_t sent = 0;  // data bytes handed to the uplink
    TimePoint started;
    TimePoint last_progress;
    bool started_sending() const {
      return state == State::Sending || state == State::Sent || state == State::Failed;
    }
  };

  void start(ConnId conn, Upload& upload, ByteView line);
  void refuse(ConnId conn, std::string_view answer, const std::string& kind, const std::string& reason);
  void pump();
  // Sends the next chunk of `upload` and returns its length (0 if the file could not be read, and the
  // connection is closed).
  std::size_t send_chunk(ConnId conn, Upload& upload, TimePoint now);
  void finish(ConnId conn, const Upload& upload, bool ok, std::string_view reason);

  Runtime& runtime_;
  SharedFiles& files_;
  UploadConfig config_;
  IsOffered offered_;
  std::map<ConnId, Upload> uploads_;  // ordered, so the turn can pass from one upload to the next
  ConnId next_turn_;                  // the upload that gets the first chunk of the next top-up
  UplinkPacer pacer_;
  BusyTimer pump_timer_;  // while uploads_ is not empty
  std::uint64_t bytes_sent_ = 0;
  std::uint64_t ok_ = 0;
  std::uint64_t failed_ = 0;
  std::map<std::string, std::uint64_t> refused_;  // by kind: traversal, not_shared, bad_request, busy
};

}  // namespace p2p::napster
