// A live capture of TCP on the loopback interface with tshark, for the interop tests that record a lab.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "tests/interop/interop_util.h"

namespace p2p::interop {

// How long tshark may take to start capturing: seconds on a machine busy with other labs and builds.
inline constexpr std::chrono::seconds kCaptureStartLimit{30};

// tshark writing what `filter` (a capture filter: "tcp portrange 20000-20030") takes on lo to `file`; its
// standard error goes to `log`. Stopped when this goes out of scope, whatever the test's outcome.
class LoopbackCapture {
 public:
  LoopbackCapture(const std::filesystem::path& file, const std::string& filter,
                  const std::filesystem::path& log);

  // Waits until packets really reach the file: tshark has said "Capturing on", and then a probe (a connection
  // attempt to `probe_port`, a port the filter takes and nothing listens on yet) has been written to it. So
  // nothing the test starts afterwards is missed. False if that takes longer than `limit`.
  bool wait_capturing(std::uint16_t probe_port, std::chrono::milliseconds limit);
  // Ends the capture; tshark writes out the packets it holds first.
  void stop() { tshark_.stop(); }
  // What tshark said, for a failure message.
  std::string log() const { return read_text(log_); }

 private:
  std::filesystem::path file_;
  std::filesystem::path log_;
  Process tshark_;
};

}  // namespace p2p::interop
