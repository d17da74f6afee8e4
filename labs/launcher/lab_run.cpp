// `p2plab run`: sets up the run folder and the lab's sockets, runs the supervisor on the Reactor until the
// scenario's end (or quit, Ctrl-C, SIGTERM), ends every node, and writes the summary.
#include "labs/launcher/lab_run.h"

#include <signal.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include <zmq.hpp>

#include "common/host/reactor.h"
#include "common/host/transport.h"
#include "common/telemetry/schema.h"
#include "labs/dashboard/dashboard.h"
#include "labs/launcher/command_server.h"
#include "labs/launcher/done_watch.h"
#include "labs/launcher/endpoint_monitor.h"
#include "labs/launcher/inbound_limits.h"
#include "labs/launcher/lab_files.h"
#include "labs/launcher/placement.h"
#include "labs/launcher/process.h"
#include "labs/launcher/progress.h"
#include "labs/launcher/recorder.h"
#include "labs/launcher/remote_hosts.h"
#include "labs/launcher/summarisers.h"
#include "labs/launcher/summary.h"
#include "labs/launcher/supervisor.h"

namespace p2p::labs {
namespace {

namespace fs = std::filesystem;

constexpr Duration kTick = milliseconds(50);
constexpr Duration kProgressEvery = seconds(5);
// How often a run whose roles name a done event checks whether they all sent it.
constexpr Duration kDoneCheckEvery = milliseconds(500);
// SIGTERM, then this long before SIGKILL (a node's graceful leave takes up to 2 s; "stop" is immediate).
constexpr double kStopGrace = 2.0;
// After the nodes are gone, how long their last records may take to arrive.
constexpr Duration kDrain = milliseconds(300);

// The terminal as it was before the dashboard took it, for a launcher that leaves while the dashboard's
// thread still holds it (and so cannot run the dashboard's own clean-up).
struct SavedTerminal {
  termios state{};
  bool ok = false;
};
SavedTerminal saved_terminal;

void save_terminal() {
  saved_terminal.ok = ::tcgetattr(STDIN_FILENO, &saved_terminal.state) == 0;
}

void restore_terminal() {
  if (!saved_terminal.ok) return;
  ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_terminal.state);
  std::fputs("\x1b[?1049l\x1b[?25h\n", stdout);  // leave the alternate screen, show the cursor
  std::fflush(stdout);
}

double wall_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A lab across hosts: where its nodes go and the connections to their hosts, made before the run so that a
// host that cannot be reached stops it before anything starts. Empty for a lab on this machine alone.
struct Spread {
  std::optional<Placement> placement;
  std::unique_ptr<RemoteHosts> remote;

  // The address the launcher's node endpoints are bound on.
  std::string bind_address() const { return remote ? remote->bind_address() : "127.0.0.1"; }
};

Expected<Spread> spread_lab(const Scenario& scenario, const std::string& out) {
  Spread spread;
  if (!scenario.hosts.spans_hosts()) return spread;
  LabPlan plan = plan_lab(scenario);
  auto placement = Placement::make(scenario.hosts, scenario, plan.nodes);
  if (!placement) return placement.error();
  RemoteHostsConfig config{scenario.hosts, out, {}, {}};
  for (std::size_t h = 0; h < scenario.hosts.hosts.size(); ++h) config.nodes.push_back(placement->used(h));
  for (const RoleSpec& role : scenario.roles) {
    auto program = find_program(role.binary);
    if (!program) return program.error();
    if (std::find(config.programs.begin(), config.programs.end(), *program) == config.programs.end())
      config.programs.push_back(*program);
  }
  auto remote = RemoteHosts::open(std::move(config));
  if (!remote) return remote.error();
  spread.placement.emplace(std::move(*placement));
  spread.remote = std::move(*remote);
  return spread;
}

// Which host each node ran on, for summary.json: {"pc01":{"destination":..,"address":..,"nodes":[..]}}.
nlohmann::json hosts_summary(const RemoteHosts& remote, std::size_t hosts, const nlohmann::json& node_list) {
  nlohmann::json summary = nlohmann::json::object();
  for (std::size_t h = 0; h < hosts; ++h) {
    const HostSpec& spec = remote.spec(h);
    nlohmann::json nodes = nlohmann::json::array();
    for (const nlohmann::json& node : node_list) {
      if (node.value("host", "") == spec.name && node.value("starts", 0) > 0) nodes.push_back(node["id"]);
    }
    summary[spec.name] = {
        {"destination", spec.destination}, {"address", remote.address(h)}, {"nodes", nodes}};
  }
  return summary;
}

// One run of a lab. Everything runs on the calling thread's Reactor, except the dashboard, which has its own
// thread and talks to the lab only through the telemetry and command endpoints, like any outside client.
class LabRun {
 public:
  LabRun(Scenario scenario, const RunOptions& options, std::string out, int signal_fd, bool interactive,
         Spread& spread)
      : scenario_(std::move(scenario)),
        options_(options),
        out_(std::move(out)),
        interactive_(interactive),
        spread_(spread),
        endpoints_(context_, reactor_),
        recorder_(context_, reactor_, out_ + "/events.jsonl", spread.bind_address()),
        control_(context_, zmq::socket_type::pub),
        hooks_(hooks_for(scenario_.system)),
        progress_(hooks_ ? std::string(hooks_->key_event) : std::string()),
        done_(scenario_),
        log_(out_ + "/launcher.log") {
    context_.set(zmq::ctxopt::max_sockets, 4096);
    control_.set(zmq::sockopt::linger, 500);
    limit_inbound(control_, kMaxSubscriptionBytes);  // nodes only subscribe here
    control_.bind("tcp://" + spread.bind_address() + ":*");
    control_endpoint_ = control_.get(zmq::sockopt::last_endpoint);
    reactor_.add_fd(signal_fd, [this, signal_fd] { on_signal(signal_fd); });
    handle_.quit = [this] { end("quit", 0); };
    handle_.info = [this] { return info(); };
    handle_.control = [this](const std::string& topic, const nlohmann::json& message) {
      control(topic, message);
    };
    commands_.emplace(context_, reactor_, handle_);
    endpoints_.watch(commands_->socket(), "commands");
    endpoints_.watch(control_, "control");
    endpoints_.watch(recorder_.node_socket(), "node_telemetry");
    endpoints_.watch(recorder_.watcher_socket(), "telemetry");
  }

  ~LabRun() {
    if (dashboard_.joinable()) dashboard_.join();
  }

  Status prepare() {
    auto supervisor = Supervisor::create(
        scenario_,
        SupervisorSettings{out_, recorder_.publish_endpoint(), control_endpoint_, options_.first_port,
                           spread_.placement ? &*spread_.placement : nullptr, spread_.remote.get()},
        [this] { return elapsed(); },
        [this](std::string_view name, nlohmann::json data) { emit(name, std::move(data)); },
        [this](const std::string& line) { notice(line); });
    if (!supervisor) return supervisor.error();
    supervisor_ = std::move(*supervisor);
    handle_.supervisor = supervisor_.get();
    recorder_.observe([this](const nlohmann::json& record) {
      progress_.observe(record);
      done_.observe(record);
      supervisor_->on_record(record);
    });
    return Ok{};
  }

  int run() {
    start_ = reactor_.now();
    started_at_ = wall_now();
    write_lab_json("running");
    emit("lab_started",
         {{"scenario", scenario_.name}, {"seed", scenario_.seed}, {"duration", scenario_.duration}});
    if (interactive_) start_dashboard();
    reactor_.every(kTick, [this] { on_tick(); });
    reactor_.after(from_seconds(scenario_.duration), [this] { end("the scenario's duration", 0); });
    if (done_.enabled()) reactor_.every(kDoneCheckEvery, [this] { end_if_done(); });
    reactor_.every(kProgressEvery, [this] {
      if (!interactive_ && !ended_) {
        std::cout << progress_.line(elapsed(), supervisor_->nodes_up(), supervisor_->nodes_known(),
                                    recorder_.records())
                  << std::endl;
      }
    });
    supervisor_->tick();
    reactor_.run();
    nlohmann::json summary = finish();
    wait_for_dashboard();
    std::cout << format_summary(summary) << "summary: " << out_ << "/summary.json   plots: p2plab report "
              << out_ << std::endl;
    return exit_code_;
  }

 private:
  double elapsed() const { return to_seconds(reactor_.now() - start_); }

  void emit(std::string_view name, nlohmann::json data) {
    static const telemetry::Origin kLauncher{"launcher", "launcher", "launcher"};
    recorder_.record(telemetry::make_event(kLauncher, wall_now(), name, std::move(data)));
  }

  void notice(const std::string& line) {
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "[%5.1fs] ", elapsed());
    log_ << stamp << line << std::endl;
    if (!interactive_) std::cerr << "p2plab: " << line << std::endl;
  }

  void control(const std::string& topic, const nlohmann::json& message) {
    std::string body = message.dump();
    control_.send(zmq::buffer(topic), zmq::send_flags::sndmore);
    control_.send(zmq::buffer(body), zmq::send_flags::none);
  }

  nlohmann::json info() const {
    return {{"scenario", scenario_.name},
            {"system", scenario_.system},
            {"out", out_},
            {"elapsed", elapsed()},
            {"duration", scenario_.duration},
            {"state", ended_ ? "ended" : "running"},
            {"telemetry", recorder_.subscribe_endpoint()},
            {"connections", endpoints_.counts()}};
  }

  void on_tick() {
    if (dashboard_done_ && interactive_) {
      interactive_ = false;
      // The dashboard ended without quitting the lab (no usable terminal): carry on headless.
      if (!ended_)
        notice("the dashboard stopped; the lab goes on headless (p2plab dash " + out_ + " to watch)");
    }
    if (!ended_) supervisor_->tick();
    recorder_.flush();
  }

  // Ends the run before its duration once the roles that name a done event have all sent it, and nothing
  // is left to start or apply.
  void end_if_done() {
    if (ended_ || supervisor_->plan_pending()) return;
    if (auto why = done_.done(supervisor_->node_list())) end(*why, 0);
  }

  void on_signal(int fd) {
    signalfd_siginfo info{};
    while (::read(fd, &info, sizeof info) == sizeof info) {
      if (info.ssi_signo == SIGCHLD) {
        supervisor_->reap();
      } else {
        end(info.ssi_signo == SIGINT ? "Ctrl-C" : "SIGTERM", 128 + static_cast<int>(info.ssi_signo));
      }
    }
  }

  void end(const std::string& reason, int code) {
    if (ended_) {
      if (reason == "quit") quit_ = true;
      reactor_.stop();
      return;
    }
    ended_ = true;
    quit_ = reason == "quit";
    exit_code_ = code;
    end_reason_ = reason;
    reactor_.stop();
  }

  void write_lab_json(const std::string& state) {
    nlohmann::json lab = {{"telemetry", recorder_.subscribe_endpoint()},
                          {"commands", commands_->endpoint()},
                          {"control", control_endpoint_},
                          {"node_telemetry", recorder_.publish_endpoint()},
                          {"pid", ::getpid()},
                          {"scenario", scenario_.name},
                          {"scenario_path", scenario_.path},
                          {"system", scenario_.system},
                          {"out", out_},
                          {"started_at", started_at_},
                          {"duration", scenario_.duration},
                          {"state", state}};
    if (auto st = write_json_file(out_ + "/lab.json", lab); !st) notice(st.reason());
  }

  void start_dashboard() {
    DashboardOptions options;
    options.telemetry = recorder_.subscribe_endpoint();
    options.commands = commands_->endpoint();
    options.owns_lab = true;
    dashboard_ = std::thread([this, options] {
      run_dashboard(options);
      dashboard_done_ = true;
    });
  }

  // Ends every node, lets their last records in, and writes summary.json.
  nlohmann::json finish() {
    double duration = elapsed();
    notice("ending the lab (" + end_reason_ + ")");
    // Records after this are the teardown's (a node losing its peers as they stop), not the run's end state.
    emit("lab_ending", {{"reason", end_reason_}});
    control("all", {{"cmd", "stop"}});
    supervisor_->shutdown(kStopGrace);
    reactor_.run_for(kDrain);
    emit("lab_ended",
         {{"reason", end_reason_}, {"message", "the run has ended; press q to leave the dashboard"}});
    recorder_.close();

    std::ifstream events(out_ + "/events.jsonl");
    std::vector<nlohmann::json> records = records_for_summary(events);
    nlohmann::json metrics = nlohmann::json::object();
    if (hooks_) {
      try {
        metrics = hooks_->summarise(records);
      } catch (const std::exception& e) {
        metrics = {{"error", std::string("the summariser failed: ") + e.what()}};
      }
    }
    RunFacts facts{scenario_.name, scenario_.path,      scenario_.system,
                   out_,           scenario_.seed,      started_at_,
                   duration,       recorder_.records(), supervisor_->counts()};
    nlohmann::json summary = make_summary(facts, std::move(metrics));
    summary["ended_by"] = end_reason_;
    if (spread_.remote) {
      summary["hosts"] =
          hosts_summary(*spread_.remote, scenario_.hosts.hosts.size(), supervisor_->node_list());
    }
    if (!scenario_.goals.empty()) summary["goals"] = judge_goals(scenario_.goals, summary["metrics"]);
    if (auto st = write_json_file(out_ + "/summary.json", summary); !st) notice(st.reason());
    write_lab_json("ended");
    return summary;
  }

  // After the end the dashboard stays up (showing the final state) until `q`; the command endpoint keeps
  // answering meanwhile. An interrupted launcher does not wait: it restores the terminal and leaves.
  void wait_for_dashboard() {
    if (!dashboard_.joinable()) return;
    if (exit_code_ != 0) {
      restore_terminal();
      dashboard_.detach();
      return;
    }
    if (!dashboard_done_ && !quit_) {
      reactor_.every(milliseconds(100), [this] {
        if (dashboard_done_) reactor_.stop();
      });
      reactor_.run();
    }
    dashboard_.join();
  }

  Scenario scenario_;
  RunOptions options_;
  std::string out_;
  bool interactive_;
  Spread& spread_;
  zmq::context_t context_;
  Reactor reactor_;
  EndpointMonitor endpoints_;  // before the sockets it watches, so that it outlives them
  Recorder recorder_;
  zmq::socket_t control_;
  std::string control_endpoint_;
  const SystemHooks* hooks_;
  ProgressMeter progress_;
  DoneWatch done_;
  std::ofstream log_;
  LabHandle handle_;
  std::optional<CommandServer> commands_;
  std::unique_ptr<Supervisor> supervisor_;
  TimePoint start_{};
  double started_at_ = 0;
  bool ended_ = false;
  bool quit_ = false;
  int exit_code_ = 0;
  std::string end_reason_;
  std::thread dashboard_;
  std::atomic<bool> dashboard_done_{false};
};

}  // namespace

Expected<RunSetup> set_up_run(const RunOptions& options,
                              const std::function<Status(const Scenario&)>& check) {
  auto path = resolve_scenario(options.scenario);
  if (!path) return path.error();
  auto scenario = load_scenario(*path, options.overrides);
  if (!scenario) return scenario.error();
  if (!options.hosts_file.empty()) {
    std::ifstream in(options.hosts_file);
    if (!in) return make_error("--hosts: cannot read " + options.hosts_file);
    auto hosts = parse_hosts_file(in, options.hosts_file);
    if (!hosts) return hosts.error();
    scenario->hosts = std::move(*hosts);
  }
  if (Status ok = check(*scenario); !ok) return ok.error();
  std::string out = options.out.empty() ? default_out_dir(scenario->name, std::time(nullptr)) : options.out;
  if (fs::exists(fs::path(out) / "events.jsonl"))
    return make_error(out + " already holds a run; pick another --out");
  std::error_code ec;
  fs::create_directories(fs::path(out) / "logs", ec);
  if (ec) return make_error("cannot create " + out + ": " + ec.message());
  return RunSetup{std::move(*scenario), std::move(out)};
}

int run_lab(const RunOptions& options, int signal_fd) {
  auto fail = [](const std::string& line) {
    std::cerr << "p2plab run: " << line << "\n";
    return 2;
  };
  auto setup = set_up_run(options, [&options](const Scenario& scenario) -> Status {
    for (const RoleSpec& role : scenario.roles) {
      if (auto program = find_program(role.binary); !program)
        return make_error("role." + role.name + ".binary: " + program.reason());
    }
    std::size_t nodes = 0;
    for (const RoleSpec& role : scenario.roles) nodes += role.count;
    if (options.first_port != 0 && options.first_port + nodes - 1 > 65535)
      return make_error("--first-port " + std::to_string(options.first_port) +
                        " leaves no room for the lab's " + std::to_string(nodes) + " nodes below port 65536");
    return Ok{};
  });
  if (!setup) return fail(setup.reason());
  std::string out = setup->out;

  auto spread = spread_lab(setup->scenario, out);
  if (!spread) return fail(spread.reason());

  raise_fd_limit();
  bool interactive = !options.headless && ::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO);
  if (interactive) save_terminal();
  LabRun run(std::move(setup->scenario), options, out, signal_fd, interactive, *spread);
  if (auto st = run.prepare(); !st) return fail(st.reason());
  int code = run.run();
  if (code != 0 && interactive) {
    // The dashboard thread may still hold the terminal: leave at once, children already gone.
    std::fflush(stdout);
    std::_Exit(code);
  }
  return code;
}

}  // namespace p2p::labs
