// The process host of a protocol core.
#include "common/host/host.h"

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <chrono>
#include <iostream>

#include "common/telemetry/control.h"
#include "common/telemetry/schema.h"

namespace p2p {
namespace {

constexpr Duration kStatusInterval = std::chrono::milliseconds(500);
// How long a leaving core may say goodbye, and how long queued bytes may take to leave, before the node ends:
// together under the 1 s a node has from SIGTERM (the launcher sends SIGKILL 2 s after it).
constexpr Duration kLeaveGrace = std::chrono::milliseconds(600);
constexpr Duration kFlushGrace = std::chrono::milliseconds(300);
// How long a node waits at start for the launcher's collector, so its first records are not lost.
constexpr std::chrono::milliseconds kSubscribeWait{3000};

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::Debug:
      return "DEBUG";
    case LogLevel::Info:
      return "INFO";
    case LogLevel::Warn:
      return "WARN";
    case LogLevel::Error:
      return "ERROR";
  }
  return "?";
}

// The part of a close reason before any ':' names its kind; the rest is detail for the log.
std::string reason_kind(const std::string& reason) {
  return reason.substr(0, reason.find(':'));
}

}  // namespace

Host::Host(NodeOptions options)
    : options_(std::move(options)),
      context_(),
      reactor_(),
      transport_(reactor_, options_.link,
                 Transport::Handlers{[this](ConnId c, bool inbound) { return core_->framer_for(c, inbound); },
                                     [this](ConnId c, bool inbound, const Endpoint& remote) {
                                       core_->on_connected(c, inbound, remote);
                                     },
                                     [this](ConnId c, ByteView frame) { core_->on_frame(c, frame); },
                                     [this](ConnId c, const std::string& reason) {
                                       ++close_reasons_[reason_kind(reason)];
                                       core_->on_closed(c, reason);
                                     }}),
      rng_(Rng::for_node(options_.seed, 0)) {
  raise_fd_limit();
}

Host::~Host() {
  if (signal_fd_ >= 0) ::close(signal_fd_);
}

Expected<int> Host::run(const MakeCore& make_core) {
  auto port = transport_.listen(options_.listen.host, options_.listen.port);
  if (!port) return port.error();
  local_ = Endpoint{options_.listen.host, *port};

  if (!options_.telemetry.empty()) {
    publisher_.emplace(context_, options_.telemetry);
    if (!publisher_->wait_until_subscribed(kSubscribeWait))
      log(LogLevel::Warn, "no telemetry collector answered");
  }
  if (!options_.control.empty()) {
    control_.emplace(context_, zmq::socket_type::sub);
    control_->set(zmq::sockopt::subscribe, "all");
    control_->set(zmq::sockopt::subscribe, options_.node_id);
    control_->connect(options_.control);
    reactor_.add_socket(
        *control_, [this] { on_command(); }, SocketUse::callback_only);
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigprocmask(SIG_BLOCK, &signals, nullptr);
  signal_fd_ = signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC);
  reactor_.add_fd(signal_fd_, [this] { on_signal(); });

  core_ = make_core(*this);
  if (core_->uses_datagrams()) {
    auto opened = transport_.open_datagrams(
        local_, loss_draws(options_.seed, 0),
        [this](const Endpoint& from, ByteView bytes) { core_->on_datagram(from, bytes); });
    if (!opened) return opened.error();
  }
  log(LogLevel::Info, "listening on " + local_.str());
  // The first record of every node: where it listens, so the launcher can point other nodes at it.
  event(::p2p::telemetry::kNodeListening, {{"listen", local_.str()}, {"pid", getpid()}});
  core_->on_start();
  if (publisher_) {
    publish_status();
    reactor_.every(kStatusInterval, [this] { publish_status(); });
  }
  reactor_.run();
  if (publisher_) publish_status();
  return 0;
}

void Host::close(ConnId conn, std::string reason) {
  transport_.close(conn, std::move(reason));
}

void Host::set_framer(ConnId conn, std::unique_ptr<Framer> framer) {
  transport_.set_framer(conn, std::move(framer));
}

void Host::log(LogLevel level, std::string_view message) {
  if (level < options_.log_level) return;
  std::cerr << std::fixed << wall_seconds() << " " << options_.node_id << " " << level_name(level) << " "
            << message << std::endl;
}

void Host::stop() {
  if (stopping_) return;
  stopping_ = true;
  // Give bytes still crossing the shaped uplink (a goodbye, a last block) a moment to leave.
  TimePoint deadline = now() + kFlushGrace;
  reactor_.every(std::chrono::milliseconds(20), [this, deadline] {
    if (transport_.queued_bytes() == 0 || now() >= deadline) reactor_.stop();
  });
}

void Host::leave() {
  if (leaving_) return;
  leaving_ = true;
  log(LogLevel::Info, "leaving");
  core_->on_leave();
  reactor_.after(kLeaveGrace, [this] { stop(); });
}

void Host::on_signal() {
  signalfd_siginfo info{};
  while (::read(signal_fd_, &info, sizeof info) == sizeof info) leave();
}

void Host::on_command() {
  zmq::message_t topic, body;
  while (control_->recv(topic, zmq::recv_flags::dontwait)) {
    if (!topic.more() || !control_->recv(body, zmq::recv_flags::none)) continue;
    auto command = telemetry::decode_control(body.to_string_view());
    if (!command) {
      log(LogLevel::Warn, "control message refused: " + command.reason());
      continue;
    }
    if (command->kind == telemetry::ControlCommand::Kind::Stop) {
      reactor_.stop();
    } else if (command->kind == telemetry::ControlCommand::Kind::Leave) {
      leave();
    } else {
      options_.link = telemetry::apply_rate(*command, options_.link);
      transport_.set_link(options_.link);
      log(LogLevel::Info, "link changed by the launcher");
    }
  }
}

::p2p::telemetry::Origin Host::origin() const {
  return {options_.node_id, std::string(core_->system()), std::string(core_->role())};
}

double Host::wall_seconds() const {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void Host::event(std::string_view name, nlohmann::json data) {
  // Logged before the data moves into the record; dumped only when debug lines are wanted, since hot
  // events (a servent's query_seen) come by the hundred thousand a second.
  if (LogLevel::Debug >= options_.log_level) log(LogLevel::Debug, std::string(name) + " " + data.dump());
  if (publisher_)
    publisher_->publish(::p2p::telemetry::make_event(origin(), wall_seconds(), name, std::move(data)));
}

void Host::publish_status() {
  TimePoint t = now();
  double elapsed = last_status_ == TimePoint{} ? 0.0 : to_seconds(t - last_status_);
  std::uint64_t sent = transport_.bytes_sent(), received = transport_.bytes_received();
  ::p2p::telemetry::LinkFigures link;
  if (elapsed > 0) {
    link.up_bps = static_cast<double>(sent - last_sent_) * 8 / elapsed;
    link.down_bps = static_cast<double>(received - last_received_) * 8 / elapsed;
  }
  link.conns = transport_.connection_count();
  last_status_ = t;
  last_sent_ = sent;
  last_received_ = received;
  nlohmann::json sys = core_->status();
  sys["closes"] = close_reasons_;
  if (std::uint64_t rests = transport_.accept_rests(); rests > 0) sys["accept_rests"] = rests;
  if (core_->uses_datagrams()) sys["datagrams"] = transport_.datagrams().to_json();
  publisher_->publish(::p2p::telemetry::make_status(origin(), wall_seconds(), link, std::move(sys)));
}

int node_main(int argc, char** argv, const NodeProgram& program) {
  CliSpec spec;
  spec.program = program.name;
  spec.usage = program.name + " [options]";
  spec.summary = program.summary;
  program.add_options(spec.options);
  add_node_options(spec.options);
  po::variables_map vm = parse_cli(argc, argv, spec);
  NodeOptions options = read_node_options(vm, program.name);
  auto make_core = program.prepare(vm);
  if (!make_core) fail_setup(program.name, make_core.reason());
  Host host(options);
  auto code = host.run(*make_core);
  if (!code) fail_setup(program.name, code.reason());
  return *code;
}

}  // namespace p2p
