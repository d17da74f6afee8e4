// The uploader's side of napster.txt section 4.1: serving files from the shared folder on the peer's data
// port.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "common/node/core.h"
#include "common/transfer/tally.h"
#include "common/transfer/transfer_set.h"
#include "common/transfer/uplink_pacer.h"
#include "napster/shared_files.h"
#include "napster/transfer.h"

namespace p2p::napster {

struct UploadConfig {
  std::size_t max_uploads = 8;              // more concurrent requests are refused
  transfer::PacerConfig pacing;             // how much file data all uploads together keep on the uplink
  Duration pump_period = milliseconds(10);  // how often the uplink queue is topped up
  Duration stall_timeout = seconds(60);     // no progress for this long closes the connection
};

// One upload in flight. Sent: every byte is on the uplink, and the downloader hangs up when it has them.
// Failed: the file could not be read, and the connection is closing.
struct Upload {
  enum class State { AwaitingGet, AwaitingRequest, Sending, Sent, Failed };
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

// Serves each inbound data connection: greets it with "1", reads GET and the request line, and answers the
// size and the file's bytes, or a refusal. It only ever reads from the shared folder: a name that could leave
// it ("..", an absolute path, a separator) is refused as INVALID REQUEST and counted as traversal, a name
// that is not shared (not in the folder, or one the peer keeps to itself) as FILE NOT SHARED. Data goes out
// as the uplink drains: every pump period the uploads top the node's uplink queue up to the UplinkPacer's
// target, a chunk each in turn, so an upload neither buffers a whole file nor starves the peer's messages to
// the server, and the uploads share the link evenly. Refusals are counted by kind: traversal, not_shared,
// bad_request, busy.
class Uploads : public transfer::TransferSet<Upload, transfer::UploadTally> {
 public:
  // Says whether the peer offers a file of its folder to others (a free rider offers none).
  using IsOffered = std::function<bool(std::string_view name)>;

  Uploads(
      Runtime& runtime, SharedFiles& files, UploadConfig config = {},
      IsOffered offered = [](std::string_view) { return true; });

  void on_connected(ConnId conn);
  void on_frame(ConnId conn, ByteView frame);
  void on_closed(ConnId conn, std::string_view reason);

 private:
  using State = Upload::State;

  void start(ConnId conn, Upload& upload, ByteView line);
  void refuse(ConnId conn, std::string_view answer, const std::string& kind, const std::string& reason);
  void pump();
  // Sends the next chunk of `upload` and returns its length (0 if the file could not be read, and the
  // connection is closed).
  std::size_t send_chunk(ConnId conn, Upload& upload, TimePoint now);
  void finish(ConnId conn, const Upload& upload, bool ok, std::string_view reason);

  SharedFiles& files_;
  UploadConfig config_;
  IsOffered offered_;
  ConnId next_turn_;  // the upload that gets the first chunk of the next top-up (transfers_ is ordered)
  transfer::UplinkPacer pacer_;
};

}  // namespace p2p::napster
