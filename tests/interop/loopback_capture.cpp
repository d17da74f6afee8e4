// A live capture of TCP on the loopback interface with tshark.
#include "tests/interop/loopback_capture.h"

#include "tests/bench/bench_util.h"

namespace p2p::interop {

namespace fs = std::filesystem;

LoopbackCapture::LoopbackCapture(const fs::path& file, const std::string& filter, const fs::path& log)
    : file_(file),
      log_(log),
      // A capture buffer of 64 MiB, seconds of a lab's traffic: on a loaded machine dumpcap may not run for a
      // while, and a packet the kernel drops meanwhile leaves a frame that cannot be reassembled.
      tshark_({"tshark", "-i", "lo", "-B", "64", "-f", filter, "-w", file.string()}, log) {}

// "Capturing on" comes once dumpcap has opened the interface, but a packet reaches the file only when dumpcap
// flushes it (a few times a second), so the proof is a packet read back from the file. The filter takes
// nothing but the test's own ports, so any packet there is the probe: a refused connection still puts its
// SYN and the RST that answers it on the wire.
bool LoopbackCapture::wait_capturing(std::uint16_t probe_port, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  auto left = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  };
  if (!wait_until([&] { return log().find("Capturing on") != std::string::npos; }, left())) return false;
  const fs::path first = file_.string() + ".first";
  return wait_until(
      [&] {
        bench::wait_listening(probe_port, 1);  // one connection attempt
        Process read({"tshark", "-r", file_.string(), "-c", "1"}, {}, first);
        return read.wait(std::chrono::seconds(10)).has_value() && !read_text(first).empty();
      },
      left());
}

}  // namespace p2p::interop
