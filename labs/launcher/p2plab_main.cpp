// p2plab: the lab runner's command line (run, dash, report, sweep, list, demo, programs).
#include <signal.h>
#include <unistd.h>

#include <cstring>
#include <iostream>
#include <set>
#include <string_view>

#include "common/host/cli.h"
#include "labs/dashboard/dashboard.h"
#include "labs/launcher/lab_files.h"
#include "labs/launcher/lab_run.h"
#include "labs/launcher/process.h"
#include "labs/launcher/report.h"
#include "labs/launcher/scenario.h"
#include "labs/launcher/sim_run.h"

namespace {

using namespace p2p;
using namespace p2p::labs;

constexpr const char* kFlagshipLab = "05-bittorrent/flash-crowd.ini";

constexpr const char* kUsage = R"(Usage: p2plab COMMAND [ARGS...]
Runs the labs of the p2plab testbed: starts a scenario's nodes, records their telemetry, shows them live,
and turns runs into tables and plots.

Commands:
  run SCENARIO.ini [--headless] [--sim] [--hosts FILE] [--duration S] [--out DIR] [--seed N]
                   [--set key=value ...]
                   run a lab (with the live dashboard on a terminal); writes OUT/events.jsonl and summary.json;
                   --sim runs its cores in SimNet on a virtual clock instead (BitTorrent labs);
                   --hosts spreads its nodes over other machines through SSH
  dash [OUT]       watch a running lab (default: the newest run under runs/)
  report DIR [--against BASELINE]
                   a run's time series (DIR/timeseries.csv) and plots (DIR/plots/*.png); with
                   --against, its metrics beside another run's, with their ratio
  sweep SCENARIO --vary key=v1,v2,... [--repeat R] [--sim] [--out DIR]
                   one headless run per value and repeat, then a combined CSV and plots
  list             the labs and their scenarios
  demo             the flagship lab with the dashboard (headless with a summary without a terminal)
  programs [SCENARIO]
                   the node programs a scenario starts (default: the demo's), one per line: what
                   ./p2plab builds before run, sweep and demo

p2plab COMMAND --help shows each command's options; labs/README.md documents the scenario format.
)";

constexpr const char* kSimHelp =
    "run the cores in SimNet, one process on a virtual clock, instead of one process per node: the same "
    "plan, links, events and summary, plus sim_speedup, wall_s, cpu_s and peak_rss_mib. BitTorrent labs "
    "only; "
    "bt-peer must use --synthetic content, of which the lab keeps one copy for all its peers. 1,000 peers "
    "of flash-crowd.ini: see labs/README.md, \"Under --sim\"";

// Parses a subcommand's flags: argv[1] is the command, so its parser sees argv[1..] with the command as
// program name.
po::variables_map parse_command(int argc, char** argv, CliSpec& spec) {
  spec.accepts_config = false;
  return parse_cli(argc - 1, argv + 1, spec);
}

// The flags that change the scenario, for run and sweep.
void add_scenario_flags(CliSpec& spec) {
  spec.options.add_options()("sim", po::bool_switch(), kSimHelp)(
      "duration", po::value<double>()->value_name("S"),
      "run for at most S seconds (the scenario's `duration`; a role's `done` event may end it sooner)")(
      "seed", po::value<std::uint64_t>()->value_name("N"),
      "the scenario's seed (every node's seed derives from it)")(
      "out", po::value<std::string>()->value_name("DIR"),
      "the run folder (default runs/<scenario>-<timestamp>)")(
      "set", po::value<std::vector<std::string>>()->composing()->value_name("KEY=VALUE"),
      "override any scenario key, e.g. --set role.peer.count=10 (repeatable)")(
      "hosts", po::value<std::string>()->value_name("FILE"),
      "run the nodes on these machines over SSH (lines NAME = DESTINATION, CAPACITY) instead of the "
      "scenario's [hosts] or this one; labs/README.md, \"A lab across the lab room\"");
}

// --hosts FILE, which --sim (one process) cannot use.
std::string hosts_file_of(const po::variables_map& vm, const std::string& program) {
  if (!vm.count("hosts")) return "";
  if (vm["sim"].as<bool>())
    fail_setup(program, "--hosts runs nodes as processes on other machines; --sim runs none");
  return vm["hosts"].as<std::string>();
}

std::vector<std::string> overrides_of(const po::variables_map& vm) {
  std::vector<std::string> overrides;
  if (vm.count("set")) overrides = vm["set"].as<std::vector<std::string>>();
  if (vm.count("duration")) overrides.push_back("duration=" + std::to_string(vm["duration"].as<double>()));
  if (vm.count("seed")) overrides.push_back("seed=" + std::to_string(vm["seed"].as<std::uint64_t>()));
  return overrides;
}

int command_run(int argc, char** argv) {
  CliSpec spec;
  spec.program = "p2plab run";
  spec.usage = "p2plab run SCENARIO.ini [options]";
  spec.summary =
      "Runs a lab: every node a process on shaped loopback links, with arrivals, churn and the timeline.\n"
      "On a terminal it shows the live dashboard; otherwise (or with --headless) progress lines.\n"
      "With --sim, a BitTorrent lab's cores run in SimNet instead, on a virtual clock, for sizes past what\n"
      "processes allow, e.g.\n"
      "  p2plab run 01-client-server-vs-p2p/p2p --sim --set role.leecher.count=1000\n"
      "(on a 2-core machine all 1,000 complete in 40.7 virtual s, 28 to 32 s of wall time, peak RSS\n"
      "825 MiB; lab 01's handout, \"N = 1,000 and 10,000 under --sim\", has the figures).";
  spec.options.add_options()("scenario", po::value<std::string>()->value_name("SCENARIO"),
                             "the scenario file");
  spec.positional.add("scenario", 1);
  spec.options.add_options()("headless", po::bool_switch(), "no dashboard: progress lines, then the summary")(
      "first-port", po::value<std::uint16_t>()->value_name("N"),
      "node k listens on port N + k (default: ports the system picks), so a capture can filter on them");
  add_scenario_flags(spec);
  int signal_fd = block_launcher_signals();
  po::variables_map vm = parse_command(argc, argv, spec);
  if (!vm.count("scenario"))
    fail_setup(spec.program, "which scenario? e.g. p2plab run labs/02-napster/spof.ini");
  RunOptions options;
  options.scenario = vm["scenario"].as<std::string>();
  options.overrides = overrides_of(vm);
  options.headless = vm["headless"].as<bool>();
  options.sim = vm["sim"].as<bool>();
  options.hosts_file = hosts_file_of(vm, spec.program);
  if (vm.count("out")) options.out = vm["out"].as<std::string>();
  if (vm.count("first-port")) options.first_port = vm["first-port"].as<std::uint16_t>();
  return options.sim ? run_sim_lab(options, signal_fd) : run_lab(options, signal_fd);
}

int command_demo(int argc, char** argv) {
  CliSpec spec;
  spec.program = "p2plab demo";
  spec.usage = "p2plab demo [--headless]";
  spec.summary = std::string("Runs the flagship lab (") + kFlagshipLab +
                 ") with the live dashboard; without a terminal, headless with its summary.";
  spec.options.add_options()("headless", po::bool_switch(), "no dashboard: progress lines, then the summary");
  int signal_fd = block_launcher_signals();
  po::variables_map vm = parse_command(argc, argv, spec);
  RunOptions options;
  options.scenario = labs_dir() + "/" + kFlagshipLab;
  options.headless = vm["headless"].as<bool>();
  return run_lab(options, signal_fd);
}

int command_dash(int argc, char** argv) {
  CliSpec spec;
  spec.program = "p2plab dash";
  spec.usage = "p2plab dash [OUT]";
  spec.summary = "Shows the live dashboard of a running lab (default: the newest run under runs/).";
  spec.options.add_options()("out", po::value<std::string>()->value_name("OUT"), "the run folder");
  spec.positional.add("out", 1);
  po::variables_map vm = parse_command(argc, argv, spec);
  std::string out;
  if (vm.count("out")) {
    out = vm["out"].as<std::string>();
  } else {
    auto newest = newest_run("runs");
    if (!newest) fail_setup(spec.program, newest.reason());
    out = *newest;
  }
  auto lab = read_json_file(out + "/lab.json");
  if (!lab) fail_setup(spec.program, lab.reason() + " (is " + out + " a run folder?)");
  int pid = lab->value("pid", 0);
  if (lab->value("state", "") != "running" || pid <= 0 || ::kill(pid, 0) != 0) {
    fail_setup(spec.program,
               "the lab in " + out + " is not running any more; see its results with p2plab report " + out);
  }
  DashboardOptions options;
  options.telemetry = lab->value("telemetry", "");
  options.commands = lab->value("commands", "");
  options.owns_lab = false;
  return run_dashboard(options);
}

int command_report(int argc, char** argv) {
  CliSpec spec;
  spec.program = "p2plab report";
  spec.usage = "p2plab report DIR [--against BASELINE]";
  spec.summary =
      "Writes a run's per-second time series (DIR/timeseries.csv) and draws its plots with gnuplot\n"
      "(DIR/plots/*.png), with the lab's theory curves where the lab defines them. With --against, it\n"
      "then prints the metrics DIR and BASELINE share side by side, with BASELINE/DIR for each.";
  spec.options.add_options()("dir", po::value<std::string>()->value_name("DIR"), "the run folder")(
      "against", po::value<std::string>()->value_name("BASELINE"),
      "another run folder (another system's, on the same workload) to compare with");
  spec.positional.add("dir", 1);
  po::variables_map vm = parse_command(argc, argv, spec);
  if (!vm.count("dir")) fail_setup(spec.program, "which run? e.g. p2plab report runs/spof-20250101-120000");
  std::string dir = vm["dir"].as<std::string>();
  int code = report_run(dir);
  if (!vm.count("against")) return code;
  int compared = compare_runs(dir, vm["against"].as<std::string>());
  return code != 0 ? code : compared;
}

int command_sweep(int argc, char** argv) {
  CliSpec spec;
  spec.program = "p2plab sweep";
  spec.usage = "p2plab sweep SCENARIO --vary key=v1,v2,... [options]";
  spec.summary =
      "Runs a scenario headless once per value of one key (and per repeat), then writes one CSV of\n"
      "every run's summary figures, their means, and a plot of each figure against the key.";
  spec.options.add_options()("scenario", po::value<std::string>()->value_name("SCENARIO"),
                             "the scenario file")(
      "vary", po::value<std::string>()->value_name("KEY=V1,V2,..."), "the key to vary and its values")(
      "repeat", po::value<std::size_t>()->default_value(1)->value_name("R"),
      "runs per value, with seeds seed, seed+1, ...");
  spec.positional.add("scenario", 1);
  add_scenario_flags(spec);
  int signal_fd = block_launcher_signals();
  po::variables_map vm = parse_command(argc, argv, spec);
  if (!vm.count("scenario")) fail_setup(spec.program, "which scenario?");
  if (!vm.count("vary")) fail_setup(spec.program, "--vary KEY=V1,V2,... is required");
  SweepOptions options;
  options.scenario = vm["scenario"].as<std::string>();
  options.vary = vm["vary"].as<std::string>();
  options.repeat = vm["repeat"].as<std::size_t>();
  options.overrides = overrides_of(vm);
  options.sim = vm["sim"].as<bool>();
  options.hosts_file = hosts_file_of(vm, spec.program);
  if (vm.count("out")) options.out = vm["out"].as<std::string>();
  return sweep(options, signal_fd);
}

int command_list(int argc, char** argv) {
  CliSpec spec;
  spec.program = "p2plab list";
  spec.usage = "p2plab list";
  spec.summary = "Lists the labs and their scenarios, each with its one-line description.";
  parse_command(argc, argv, spec);
  std::string labs = labs_dir();
  auto entries = list_scenarios(labs);
  if (entries.empty()) {
    std::cout << "no scenarios under " << labs << "/\n";
    return 0;
  }
  std::string lab;
  for (const ScenarioEntry& e : entries) {
    if (e.lab != lab) std::cout << (lab.empty() ? "" : "\n") << (lab = e.lab) << "\n";
    std::cout << "  " << e.path << "\n      " << e.description << "\n";
  }
  std::cout << "\nrun one with: p2plab run SCENARIO (add --headless for no dashboard)\n";
  return 0;
}

// The programs a scenario's roles start, once each: the bootstrap script builds these (and the launcher)
// before a run instead of the whole tree. A role's binary given as a path is not the build's, so it is left
// out.
int command_programs(int argc, char** argv) {
  CliSpec spec;
  spec.program = "p2plab programs";
  spec.usage = "p2plab programs [SCENARIO]";
  spec.summary = std::string("Prints the node programs a scenario starts (default: the demo's, ") +
                 kFlagshipLab + "), one per line.";
  spec.options.add_options()("scenario", po::value<std::string>()->value_name("SCENARIO"),
                             "the scenario file or name");
  spec.positional.add("scenario", 1);
  po::variables_map vm = parse_command(argc, argv, spec);
  std::string name =
      vm.count("scenario") ? vm["scenario"].as<std::string>() : labs_dir() + "/" + kFlagshipLab;
  auto path = resolve_scenario(name);
  if (!path) fail_setup(spec.program, path.reason());
  auto scenario = load_scenario(*path, {});
  if (!scenario) fail_setup(spec.program, scenario.reason());
  std::set<std::string> programs;
  for (const RoleSpec& role : scenario->roles) {
    if (role.binary.find('/') == std::string::npos) programs.insert(role.binary);
  }
  for (const std::string& program : programs) std::cout << program << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string_view command = argc > 1 ? argv[1] : "";
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (command == "run") return command_run(argc, argv);
  if (command == "demo") return command_demo(argc, argv);
  if (command == "dash") return command_dash(argc, argv);
  if (command == "report") return command_report(argc, argv);
  if (command == "sweep") return command_sweep(argc, argv);
  if (command == "list") return command_list(argc, argv);
  if (command == "programs") return command_programs(argc, argv);
  if (command.empty())
    fail_setup("p2plab", "which command? run, dash, report, sweep, list, demo or programs");
  if (command.starts_with("-")) fail_setup("p2plab", "unknown option " + std::string(command));
  fail_setup("p2plab", "unknown command '" + std::string(command) +
                           "'; expected run, dash, report, sweep, list, demo or programs");
}
