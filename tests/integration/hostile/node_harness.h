// What the hostile-peer test needs around the nodes it attacks: a telemetry collector that keeps each node's
// latest status and its events, and child processes that end with the test (SIGKILL if the test dies).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <zmq.hpp>

namespace p2p::hostile {

using std::chrono::milliseconds;

// Binds a SUB socket on 127.0.0.1 that the nodes' --telemetry publishers connect to.
class Collector {
 public:
  Collector();
  const std::string& endpoint() const { return endpoint_; }
  // Reads records for `limit`.
  void poll(milliseconds limit);
  // Waits at most `limit` for an event `name` of `node`; its data.
  std::optional<nlohmann::json> await_event(const std::string& node, const std::string& name,
                                            milliseconds limit);
  // Waits for a status of `node` published after this call; its `sys`.
  std::optional<nlohmann::json> fresh_status(const std::string& node, milliseconds limit);

 private:
  zmq::context_t context_;
  zmq::socket_t socket_;
  std::string endpoint_;
  std::map<std::string, nlohmann::json> status_;
  std::map<std::string, std::uint64_t> status_count_;
  std::vector<nlohmann::json> events_;
};

// A program of build/bin run as a child; stopped (SIGTERM, then SIGKILL) when destroyed.
class Child {
 public:
  // Runs `program` with `args`, its stdout and stderr to `log`.
  Child(const std::string& program, const std::vector<std::string>& args, const std::string& log);
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child();

  // Waits at most `limit` for the exit; its exit code, or nullopt if still running (then killed).
  std::optional<int> wait(milliseconds limit, Collector* collector = nullptr);
  // The peak resident set (VmHWM) in KiB, read from /proc while the child runs.
  std::uint64_t peak_rss_kib() const;
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

// A node started with --listen 127.0.0.1:0 and telemetry to `collector`, named `node_id`; its port comes
// from its first record.
struct Node {
  Node(Collector& collector, const std::string& program, const std::string& node_id,
       std::vector<std::string> args, const std::string& log_dir);
  std::string id;
  Child child;
  std::uint16_t port = 0;
};

// A lab run by the launcher, headless (`p2plab run SCENARIO --duration S --headless --out DIR/lab`), and the
// ports of its ZeroMQ endpoints by their names in lab.json ("commands", "telemetry", "node_telemetry",
// "control"); none if lab.json did not appear within 10 s.
struct Lab {
  Lab(const std::string& scenario, int duration_s, const std::string& dir);
  // The launcher's answer to {"cmd":"info"} on its command endpoint; null if none came within 5 s.
  nlohmann::json info();
  Child child;
  std::map<std::string, std::uint16_t> ports;
};

// The folders of the binaries (P2P_BIN, set by CTest) and of the sources (P2P_SOURCE), and a fresh scratch
// folder.
std::string bin_dir();
std::string source_dir();
std::string scratch_dir();
std::string read_file(const std::string& path);

}  // namespace p2p::hostile
