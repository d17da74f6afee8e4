// Helpers for the interop tests: a scratch folder, child processes with logs, bounded waits, file checks.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace p2p::interop {

// A fresh folder under /tmp, readable by others (opentracker drops privileges), removed with everything in
// it.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// A child process, stopped (SIGTERM, then SIGKILL) when this goes out of scope, whatever the test's outcome.
// Its standard error goes to `log` and its standard output to `out` (both /dev/null when empty). A program
// name without a slash is looked up in P2P_BIN first, then on PATH.
class Process {
 public:
  Process(const std::vector<std::string>& argv, const std::filesystem::path& log = {},
          const std::filesystem::path& out = {});
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  // Waits for the process to end by itself; its exit code, or nullopt if it still runs after `limit`.
  std::optional<int> wait(std::chrono::milliseconds limit);
  void stop();

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
};

// Polls `done` every 20 ms until it holds or `limit` passes; true if it held.
bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds limit);

// Whether `program` can be run (found on PATH).
bool on_path(const std::string& program);
// Whether this is a CI run (CI=true), where ./p2plab has installed every outside program.
bool under_ci();

// An outside program or a right the test needs is missing: skipped on a developer's machine, failed in CI, so
// a missing install step cannot turn an interop check green by skipping it.
#define P2P_NEEDS(present, why)         \
  do {                                  \
    if (!(present)) {                   \
      if (::p2p::interop::under_ci()) { \
        FAIL() << why;                  \
      } else {                          \
        GTEST_SKIP() << why;            \
      }                                 \
    }                                   \
  } while (false)

// The port of a p2plab node, read from the "listening on 127.0.0.1:PORT" line of its log; 0 if absent yet.
std::uint16_t logged_port(const std::filesystem::path& log);
// Waits until something accepts TCP connections on 127.0.0.1:port (for outside tools that cannot report it).
bool port_open(std::uint16_t port, std::chrono::milliseconds limit);
// Waits until `tshark -i IFACE -w FILE`, its standard error going to `log`, really captures. tshark prints
// "Capturing on" as soon as it has launched dumpcap, before dumpcap opens the interface, so a connection
// made right after that line can begin unseen; it logs "Capture started." once dumpcap reports its output
// file, which dumpcap opens only after binding its packet socket and attaching the capture filter. tshark
// loads every dissector first, which takes seconds on a busy machine, so this waits up to 30 s.
bool capture_started(const std::filesystem::path& log);
// Ends a capture that `tshark -w` makes, keeping its last packets: dumpcap hands packets on from the kernel
// in blocks, after a timeout, and a SIGTERM in the meantime loses the pending block (a DHT exchange of a
// few packets within a second was lost whole, 0 of 9 packets, in 4 of 6 tries). So it waits 2 s first.
void stop_capture(Process& capture);

// aria2c on loopback only, with nothing but the tracker to find peers (PROTOCOLS.md).
inline std::vector<std::string> aria2c_flags(std::uint16_t listen_port) {
  return {"aria2c",
          "--enable-dht=false",
          "--enable-dht6=false",
          "--bt-enable-lpd=false",
          "--enable-peer-exchange=false",
          "--disable-ipv6=true",
          "--bt-tracker-interval=2",
          "--listen-port=" + std::to_string(listen_port),
          "--console-log-level=warn",
          "--summary-interval=0",
          "--check-certificate=false"};
}

// The tshark flag that loads a Wireshark dissector shipped in the repository (`script` from its root:
// "kazaa/kazaa.lua"), in the source tree ctest names in P2P_SOURCE (else the working folder).
std::string dissector_flag(const std::string& script);

// Writes `size` deterministic pseudo-random bytes.
void write_random_file(const std::filesystem::path& path, std::size_t size, std::uint64_t seed);
bool same_contents(const std::filesystem::path& a, const std::filesystem::path& b);
std::string read_text(const std::filesystem::path& path);

}  // namespace p2p::interop
