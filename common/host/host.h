// Host: runs one protocol core as a process, on the Reactor and the Transport, with telemetry and control.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>

#include <zmq.hpp>

#include "common/host/cli.h"
#include "common/host/node_options.h"
#include "common/host/publisher.h"
#include "common/host/reactor.h"
#include "common/host/transport.h"
#include "common/node/core.h"
#include "common/telemetry/schema.h"

namespace p2p {

// The real Runtime. It owns the ZeroMQ context, the loop, the transport and the telemetry and control
// sockets, and gives the core time, randomness, connections and, if it uses them, datagrams at the
// listening address and port. It counts every close reason, publishes the core's status at most every
// 500 ms, and obeys the launcher's commands:
//   {"cmd":"stop"} ends the node at once; {"cmd":"leave"} (or SIGTERM/SIGINT) asks the core to leave
//   gracefully; {"cmd":"rate","up_kbps":N,"down_kbps":N,"latency_ms":N,"loss":F} changes the link (each
//   field optional). A message common/telemetry/control.h does not decode is logged and ignored.
class Host : public Runtime, private TelemetrySink {
 public:
  using MakeCore = std::function<std::unique_ptr<Core>(Runtime&)>;

  explicit Host(NodeOptions options);
  ~Host() override;

  // Listens, builds the core, and runs until the node stops. Returns the process exit code; a set-up error
  // (the port is taken) is reported by the caller with exit code 2.
  Expected<int> run(const MakeCore& make_core);

  // --- Runtime ---
  ConnId connect(const Endpoint& remote) override { return transport_.connect(remote); }
  void send(ConnId conn, Bytes bytes) override { transport_.send(conn, std::move(bytes)); }
  void close(ConnId conn, std::string reason) override;
  void send_datagram(const Endpoint& remote, Bytes bytes) override {
    transport_.send_datagram(remote, std::move(bytes));
  }
  void set_framer(ConnId conn, std::unique_ptr<Framer> framer) override;
  std::size_t queued_bytes(ConnId conn) const override { return transport_.queued_bytes(conn); }
  TimerId after(Duration delay, std::function<void()> fn) override {
    return reactor_.after(delay, std::move(fn));
  }
  TimerId every(Duration period, std::function<void()> fn) override {
    return reactor_.every(period, std::move(fn));
  }
  void cancel(TimerId timer) override { reactor_.cancel(timer); }
  TimePoint now() const override { return reactor_.now(); }
  Rng& random() override { return rng_; }
  TelemetrySink& telemetry() override { return *this; }
  void log(LogLevel level, std::string_view message) override;
  Endpoint local_endpoint() const override { return local_; }
  void stop() override;

  Transport& transport() { return transport_; }
  Reactor& reactor() { return reactor_; }

 private:
  void event(std::string_view name, nlohmann::json data) override;
  void publish_status();
  void on_command();
  void on_signal();
  void leave();
  ::p2p::telemetry::Origin origin() const;
  double wall_seconds() const;

  NodeOptions options_;
  zmq::context_t context_;
  Reactor reactor_;
  Transport transport_;
  Rng rng_;
  Endpoint local_;
  std::unique_ptr<Core> core_;
  std::optional<::p2p::telemetry::Publisher> publisher_;
  std::optional<zmq::socket_t> control_;
  int signal_fd_ = -1;
  std::map<std::string, std::uint64_t> close_reasons_;
  std::uint64_t last_sent_ = 0, last_received_ = 0;
  TimePoint last_status_{};
  bool leaving_ = false;
  bool stopping_ = false;
};

// A node binary's description: its name, one line for --help, its own options, and how to build its core.
struct NodeProgram {
  std::string name;
  std::string summary;
  std::function<void(po::options_description&)> add_options = [](po::options_description&) {};
  // Builds the core from the parsed options; an error ends the program with exit code 2.
  std::function<Expected<Host::MakeCore>(const po::variables_map&)> prepare;
};

// What most NodeProgram::prepare functions return: a core of type `CoreT` built from the config its flags
// describe, or the error that reading them gave.
template <typename CoreT, typename Config>
Expected<Host::MakeCore> core_from(Expected<Config> config) {
  if (!config) return config.error();
  return Host::MakeCore([config = std::move(config).value()](Runtime& runtime) {
    return std::make_unique<CoreT>(runtime, config);
  });
}

// The whole main() of a node binary: parse the options, prepare the core, run it.
int node_main(int argc, char** argv, const NodeProgram& program);

// The main() of a node binary whose core is built from the one config its flags describe:
// `read_options(vm)` returns that config (Expected<Config>), as every `read_<role>_options` does.
template <typename CoreT, typename ReadOptions>
int core_main(int argc, char** argv, std::string name, std::string summary,
              std::function<void(po::options_description&)> add_options, ReadOptions read_options) {
  NodeProgram program{
      std::move(name), std::move(summary), std::move(add_options),
      [read_options](const po::variables_map& vm) { return core_from<CoreT>(read_options(vm)); }};
  return node_main(argc, argv, program);
}

}  // namespace p2p
