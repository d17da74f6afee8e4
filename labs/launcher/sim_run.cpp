// `p2plab run --sim`: follows a lab's plan on SimNet, writes every record as it comes, and summarises.
#include "labs/launcher/sim_run.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <optional>

#include "common/sim/sim_net.h"
#include "common/telemetry/fields.h"
#include "common/telemetry/schema.h"
#include "labs/launcher/args_template.h"
#include "labs/launcher/done_watch.h"
#include "labs/launcher/lab_files.h"
#include "labs/launcher/lab_plan.h"
#include "labs/launcher/progress.h"
#include "labs/launcher/sim_cores.h"
#include "labs/launcher/summarisers.h"
#include "labs/launcher/summary.h"

namespace p2p::labs {
namespace {

namespace tm = ::p2p::telemetry;

// The virtual time between two looks at the plan, as the process launcher's tick.
constexpr Duration kTick = milliseconds(50);
// Status records once a second: a report keeps each node's last status in each second, so a process Host's
// 500 ms would add records (about 10 KB each for a peer with 50 connections) and no figure.
constexpr Duration kStatusEvery = seconds(1);
// How often (virtual) a run whose roles name a done event checks whether they all sent it.
constexpr double kDoneCheckEvery = 0.5;
// Progress lines, in wall seconds: virtual time may run much faster or slower.
constexpr double kProgressEvery = 5;

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

rusage own_usage() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage;
}

// The largest resident set this process has had, in MiB (getrusage reports KiB on Linux).
double peak_rss_mib() {
  return static_cast<double>(own_usage().ru_maxrss) / 1024;
}

// The CPU time this process has used, user and system: on a machine shared with other work, virtual time
// per CPU second says what the wall clock cannot.
double cpu_seconds() {
  rusage usage = own_usage();
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

LinkConfig link_of(const Scenario& scenario, const PlannedNode& node) {
  return node.link.empty() ? LinkConfig{} : link_config(scenario.profiles.at(node.link));
}

// One node of the plan: its SimNet index once it has started, its churn stream, and how often it started.
struct SimNode {
  PlannedNode plan;
  std::optional<sim::NodeIndex> index;
  Rng churn;
  std::uint64_t starts = 0;
  bool waiting = false;  // due to start, but its args name a node not started yet
};

class SimLab {
 public:
  SimLab(Scenario scenario, std::string out, int signal_fd)
      : scenario_(std::move(scenario)),
        out_(std::move(out)),
        signal_fd_(signal_fd),
        net_(std::in_place, scenario_.seed),
        hooks_(hooks_for(scenario_.system)),
        progress_(hooks_ ? std::string(hooks_->key_event) : std::string()),
        done_(scenario_),
        pick_(stream(scenario_.seed, Stream::Pick, 0)),
        events_(out_ + "/events.jsonl") {}

  Status prepare() {
    if (!events_) return make_error("cannot write " + out_ + "/events.jsonl");
    for (const RoleSpec& role : scenario_.roles) {
      auto args = ArgsTemplate::parse(role.args);
      if (!args) return make_error("role." + role.name + "." + args.reason());
      for (const Placeholder& p : args->placeholders()) {
        if (p.kind == Placeholder::Kind::Neighbours)
          return make_error("role." + role.name + ".args: --sim has no {neighbours} yet");
      }
      args_.emplace(role.name, std::move(*args));
    }
    LabPlan plan = plan_lab(scenario_);
    for (PlannedNode& node : plan.nodes) add_node(std::move(node));
    agenda_ = std::move(plan.agenda);
    return Ok{};
  }

  int run() {
    double wall_start = wall_seconds(), next_progress = wall_start + kProgressEvery;
    net_->record_status_every(kStatusEvery);
    emit("lab_started", {{"scenario", scenario_.name},
                         {"seed", scenario_.seed},
                         {"duration", scenario_.duration},
                         {"sim", true}});
    const TimePoint last = TimePoint{} + from_seconds(scenario_.duration);
    double next_done_check = 0;
    while (end_reason_.empty()) {
      for (const TimedAction& action : agenda_.take_due(now())) apply(action);
      start_waiting();
      write_new_records();
      if (done_.enabled() && now() >= next_done_check) {
        next_done_check = now() + kDoneCheckEvery;
        if (agenda_.empty() && waiting_ == 0) {
          if (auto why = done_.done(node_list())) end(*why, 0);
        }
      }
      if (auto signal = pending_signal())
        end(*signal == SIGINT ? "Ctrl-C" : "SIGTERM", 128 + static_cast<int>(*signal));
      if (net_->now() >= last) end("the scenario's duration", 0);
      if (wall_seconds() >= next_progress) {
        next_progress = wall_seconds() + kProgressEvery;
        std::cout << progress_.line(now(), nodes_up(), nodes_.size(), records_) << std::endl;
      }
      if (end_reason_.empty()) net_->run_for(std::min(kTick, last - net_->now()));
    }
    nlohmann::json summary = finish(wall_seconds() - wall_start);
    std::cout << format_summary(summary) << "summary: " << out_ << "/summary.json   plots: p2plab report "
              << out_ << std::endl;
    return exit_code_;
  }

 private:
  double now() const { return to_seconds(net_->now().time_since_epoch()); }

  SimNode& add_node(PlannedNode plan) {
    SimNode node{std::move(plan), std::nullopt, Rng(), 0, false};
    node.churn = stream(scenario_.seed, Stream::Churn, node.plan.index);
    ++per_role_[node.plan.role];
    order_.push_back(node.plan.id);
    return nodes_.emplace(node.plan.id, std::move(node)).first->second;
  }

  SimNode* find(const std::string& id) {
    auto it = nodes_.find(id);
    return it == nodes_.end() ? nullptr : &it->second;
  }

  bool alive(const SimNode& node) const { return node.index && net_->alive(*node.index); }

  std::size_t nodes_up() const {
    std::size_t up = 0;
    for (const auto& [id, node] : nodes_) up += alive(node) ? 1 : 0;
    return up;
  }

  // The plan's actions, as Supervisor::apply does them to processes.
  void apply(const TimedAction& action) {
    if (action.kind == TimedAction::Kind::Spawn) {
      for (std::size_t i = 0; i < action.count.value_or(1); ++i) {
        const RoleSpec& role = *scenario_.role(action.role);
        queue_start(add_node(plan_extra_node(scenario_, role, order_.size(), per_role_[role.name])));
      }
      return;
    }
    if (action.node.empty()) {
      apply_to_role(action);
      return;
    }
    SimNode* node = find(action.node);
    if (!node) return notice("timeline '" + action.text() + "': there is no node " + action.node);
    // Churn acts on the life it was drawn for; a node restarted meanwhile has a new one.
    if (action.life && action.life != node->starts) return;
    switch (action.kind) {
      case TimedAction::Kind::Start:
        queue_start(*node);
        break;
      case TimedAction::Kind::Kill:
        if (alive(*node)) kill(*node);
        break;
      case TimedAction::Kind::Leave:
        if (alive(*node)) leave(*node);
        break;
      case TimedAction::Kind::Restart:
        restart(*node);
        break;
      case TimedAction::Kind::Spawn:
        break;
    }
  }

  void apply_to_role(const TimedAction& action) {
    bool restart_kind = action.kind == TimedAction::Kind::Restart;
    std::vector<std::string> targets;
    for (const std::string& id : order_) {
      const SimNode& n = nodes_.at(id);
      if (n.plan.role == action.role && (restart_kind ? !alive(n) && n.starts > 0 : alive(n)))
        targets.push_back(id);
    }
    if (action.count && *action.count < targets.size()) {
      pick_.shuffle(targets);
      targets.resize(*action.count);
    }
    for (const std::string& id : targets) {
      SimNode& node = nodes_.at(id);
      if (action.kind == TimedAction::Kind::Kill) kill(node);
      if (action.kind == TimedAction::Kind::Leave) leave(node);
      if (restart_kind) restart(node);
    }
  }

  void kill(SimNode& node) {
    net_->kill(*node.index);
    ++counts_.nodes_killed;
  }
  void leave(SimNode& node) {
    net_->leave(*node.index);
    ++counts_.nodes_left;
  }
  void restart(SimNode& node) {
    if (alive(node)) kill(node);
    if (node.index) {
      net_->restart(*node.index);
      ++counts_.nodes_restarted;
      started(node);
    } else {
      queue_start(node);
    }
  }

  void queue_start(SimNode& node) {
    if (alive(node) || node.waiting) return;
    node.waiting = true;
    ++waiting_;
    try_start(node);
  }

  void start_waiting() {
    if (waiting_ == 0) return;
    for (const std::string& id : order_) {
      SimNode& node = nodes_.at(id);
      if (node.waiting) try_start(node);
    }
  }

  // Starts the node once its args can be filled in: every node it names has started.
  void try_start(SimNode& node) {
    auto args = args_.at(node.plan.role).expand([&](const Placeholder& p) { return lookup(node, p); });
    if (!args) return;
    node.waiting = false;
    --waiting_;
    auto make = cores_.make(scenario_.role(node.plan.role)->binary, *args);
    if (!make) {
      notice(node.plan.id + ": " + make.reason());
      ++counts_.nodes_crashed;
      return;
    }
    node.index = net_->add_node(node.plan.id, link_of(scenario_, node.plan), std::move(*make));
    ++counts_.nodes_started;
    started(node);
  }

  void started(SimNode& node) {
    ++node.starts;
    const RoleSpec& role = *scenario_.role(node.plan.role);
    for (TimedAction& a : churn_actions(role.churn, node.plan.id, role.name, now(), node.starts, node.churn))
      agenda_.push(std::move(a));
  }

  std::optional<std::string> lookup(const SimNode& node, const Placeholder& p) const {
    // A node that has run keeps its endpoint while it is down, as in a process run
    // (supervisor_endpoints.cpp).
    auto endpoint_of = [&](const std::string& id) -> std::optional<std::string> {
      auto it = nodes_.find(id);
      if (it == nodes_.end() || !it->second.index) return std::nullopt;
      return net_->endpoint(*it->second.index).str();
    };
    switch (p.kind) {
      case Placeholder::Kind::Node:
        return endpoint_of(p.name);
      case Placeholder::Kind::FirstOfRole:
        return endpoint_of(node_id(p.name, 0));
      case Placeholder::Kind::AllOfRole: {
        std::string all;
        for (const std::string& id : order_) {
          if (nodes_.at(id).plan.role != p.name || id == node.plan.id || !alive(nodes_.at(id))) continue;
          if (auto endpoint = endpoint_of(id)) all += (all.empty() ? "" : ",") + *endpoint;
        }
        return all;
      }
      case Placeholder::Kind::SystemKey:
        return scenario_.system_keys.at(p.name);
      case Placeholder::Kind::Neighbours:
        return std::nullopt;  // refused by prepare()
      case Placeholder::Kind::Builtin:
        return builtin_value(scenario_, node.plan, p.name, out_);
    }
    return std::nullopt;
  }

  // Every node the run has made, as DoneWatch::done reads Supervisor::node_list().
  nlohmann::json node_list() const {
    nlohmann::json list = nlohmann::json::array();
    for (const std::string& id : order_) list.push_back({{"id", id}, {"role", nodes_.at(id).plan.role}});
    return list;
  }

  // SimNet's records since the last call, to events.jsonl. SimNet's own node_started says only the core's
  // role; the launcher's says the scenario's role and the link, and a summary reads those (start_facts).
  void write_new_records() {
    for (nlohmann::json& record : net_->take_records()) {
      std::string event = tm::string_at(record, "event");
      if (tm::string_at(record, "system") == "launcher" &&
          (event == tm::kNodeStarted || event == tm::kNodeRestarted))
        record["data"] = start_facts(scenario_, nodes_.at(tm::string_at(tm::data_of(record), "node")).plan);
      write(record);
    }
  }

  // To events.jsonl, and kept for the summary as records_for_summary would read it back from there (without
  // parsing the file again: a long run's status records are most of its bytes).
  void write(const nlohmann::json& record) {
    std::string line = record.dump();
    events_ << line << '\n';
    ++records_;
    progress_.observe(record);
    done_.observe(record);
    for_summary_.add(record, std::move(line));
  }

  void emit(std::string_view name, nlohmann::json data) {
    static const tm::Origin kLauncher{"launcher", "launcher", "launcher"};
    write_new_records();
    write(tm::make_event(kLauncher, now(), name, std::move(data)));
  }

  void notice(const std::string& line) { std::cerr << "p2plab: " << line << std::endl; }

  std::optional<std::uint32_t> pending_signal() {
    signalfd_siginfo info{};
    while (::read(signal_fd_, &info, sizeof info) == sizeof info) {
      if (info.ssi_signo != SIGCHLD) return info.ssi_signo;
    }
    return std::nullopt;
  }

  void end(const std::string& reason, int code) {
    end_reason_ = reason;
    exit_code_ = code;
  }

  // The run's last events, and summary.json from its records as a process run makes it from events.jsonl.
  nlohmann::json finish(double wall_s) {
    emit("lab_ending", {{"reason", end_reason_}});
    emit("lab_ended", {{"reason", end_reason_}, {"message", "the run has ended"}});
    events_.close();
    double ended_at = now();
    std::uint64_t events_run = net_->events_run();
    // The simulated peers are the run's largest memory (about 7 GiB at 10,000 peers): they go before the
    // summary parses its records back, whose memory then reuses theirs.
    net_.reset();
    std::vector<nlohmann::json> records = for_summary_.take();
    nlohmann::json metrics = hooks_ ? hooks_->summarise(records) : nlohmann::json::object();
    RunFacts facts{scenario_.name, scenario_.path, scenario_.system, out_, scenario_.seed, 0.0,
                   ended_at,       records_,       counts_};
    nlohmann::json summary = make_summary(facts, std::move(metrics));
    summary["ended_by"] = end_reason_;
    summary["sim_speedup"] = wall_s > 0 ? nlohmann::json(ended_at / wall_s) : nlohmann::json(nullptr);
    summary["wall_s"] = wall_s;
    summary["cpu_s"] = cpu_seconds();
    summary["peak_rss_mib"] = peak_rss_mib();
    summary["sim_events"] = events_run;
    if (!scenario_.goals.empty()) summary["goals"] = judge_goals(scenario_.goals, summary["metrics"]);
    if (auto st = write_json_file(out_ + "/summary.json", summary); !st) notice(st.reason());
    return summary;
  }

  Scenario scenario_;
  std::string out_;
  int signal_fd_;
  std::optional<sim::SimNet> net_;  // reset when the run ends (finish)
  SimCores cores_;
  const SystemHooks* hooks_;
  ProgressMeter progress_;
  DoneWatch done_;
  Rng pick_;
  std::ofstream events_;
  SummaryRecords for_summary_;
  std::map<std::string, ArgsTemplate> args_;
  std::map<std::string, SimNode> nodes_;
  std::vector<std::string> order_;
  std::map<std::string, std::size_t> per_role_;
  Agenda agenda_;
  RunCounts counts_;
  std::size_t waiting_ = 0;
  std::size_t records_ = 0;
  std::string end_reason_;
  int exit_code_ = 0;
};

}  // namespace

int run_sim_lab(const RunOptions& options, int signal_fd) {
  auto setup = set_up_run(options, check_sim_support);
  if (!setup) {
    std::cerr << "p2plab run: " << setup.reason() << "\n";
    return 2;
  }
  SimLab lab(std::move(setup->scenario), setup->out, signal_fd);
  if (Status ok = lab.prepare(); !ok) {
    std::cerr << "p2plab run: " << ok.reason() << "\n";
    return 2;
  }
  return lab.run();
}

}  // namespace p2p::labs
