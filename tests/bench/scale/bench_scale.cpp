// bench-scale: a Napster lab of one index server and 500 peers, run by the real launcher (`p2plab run`) on
// this machine. Prints the time until every peer is logged in, the RSS per node, the CPU of the idle lab,
// and the refresh interval of the dashboard attached to it (`p2plab dash` in tmux), as measured by the
// dashboard's own frame counter (P2P_DASH_FRAMES). Issue 4's goals: all logged in within 30 s, at most 8 MiB
// per node, a frame at least once a second. Prints figures; passes or fails nothing.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/host/cli.h"
#include "tests/bench/bench_util.h"
#include "tests/support/dash_frames.h"
#include "tests/support/tmux_session.h"

namespace p2p::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using p2p::testing::FrameLine;
using p2p::testing::read_frames;
using namespace std::chrono_literals;

struct Settings {
  std::string scenario = P2P_SCALE_SCENARIO;
  std::size_t peers = 500;
  double idle_seconds = 10;
  double dash_seconds = 10;
  double login_limit = 120;  // a run whose peers are not all in by then reports what it has
  int runs = 3;
  bool keep = false;
};

struct Figures {
  double login_s = -1;  // from the launcher's lab_started to the server's last login event
  std::size_t logged_in = 0;
  double start_cpu_ms_per_node = 0;  // a node's CPU from its start to the last login (median)
  double start_cpu_launcher_s = 0;   // the launcher's, meanwhile (spawning, recording, finding endpoints)
  double start_cores = 0;    // all the lab's CPU until then over the login time: the cores the lab really had
  double machine_cores = 0;  // the machine's busy cores meanwhile, the lab's and every other program's
  double rss_median_mib = 0;
  double rss_max_mib = 0;
  std::string rss_max_node;
  double pss_median_mib = 0;  // RSS with each shared library page divided among the nodes that map it
  double pss_max_mib = 0;
  double idle_cpu_percent = 0;      // every node and the launcher, in % of one core
  double launcher_cpu_percent = 0;  // the launcher's share of it (the recorder writes every record)
  double dash_interval_s = 0;       // mean interval between frames while attached
  double dash_longest_s = 0;        // the longest interval the dashboard saw
  double dash_cpu_percent = 0;
};

// Follows OUT/events.jsonl as the launcher writes it: the nodes' pids from the launcher's node_started
// events, and the nicks the index server has logged in.
class EventTail {
 public:
  explicit EventTail(std::string path) : path_(std::move(path)) {}

  void poll() {
    std::ifstream in(path_);
    if (!in) return;
    in.seekg(static_cast<std::streamoff>(offset_));
    std::string line;
    while (std::getline(in, line)) {
      if (in.eof()) break;  // half a line: read it whole next time
      offset_ += line.size() + 1;
      take(nlohmann::json::parse(line, nullptr, false));
    }
  }

  std::size_t logins() const { return nicks_.size(); }
  // Nodes that ended although nothing ended them: a broken scenario or a crash (see OUT/logs/).
  std::size_t unexpected_exits() const { return unexpected_exits_; }
  // Seconds from the lab's start to the latest login, by the records' own clocks.
  double last_login_s() const { return last_login_t_ - started_t_; }
  const std::map<std::string, pid_t>& pids() const { return pids_; }

 private:
  void take(const nlohmann::json& r) {
    if (!r.is_object() || r.value("kind", "") != "event") return;
    std::string event = r.value("event", "");
    double t = r.value("t", 0.0);
    const nlohmann::json& data = r.contains("data") ? r["data"] : nlohmann::json::object();
    if (event == "lab_started") started_t_ = t;
    if (event == "node_started" && data.is_object()) pids_[data.value("node", "")] = data.value("pid", 0);
    if (event == "node_exited" && data.is_object() && !data.value("expected", true)) ++unexpected_exits_;
    if (event == "login" && data.is_object() && nicks_.insert(data.value("nick", "")).second) {
      last_login_t_ = std::max(last_login_t_, t);
    }
  }

  std::string path_;
  std::size_t offset_ = 0;
  double started_t_ = 0;
  double last_login_t_ = 0;
  std::size_t unexpected_exits_ = 0;
  std::set<std::string> nicks_;
  std::map<std::string, pid_t> pids_;
};

// CPU seconds of every process in `pids` now.
double total_cpu(const std::vector<pid_t>& pids) {
  double total = 0;
  for (pid_t pid : pids) total += std::max(0.0, cpu_seconds(pid));
  return total;
}

// One lab: start it, wait for the logins, measure it idle, attach the dashboard, end it.
Figures run_once(const Settings& s, const std::string& work, int run) {
  Figures f;
  std::string out = work + "/run-" + std::to_string(run);
  pid_t launcher = spawn({bin_dir() + "/p2plab", "run", s.scenario, "--headless", "--out", out, "--set",
                          "role.peer.count=" + std::to_string(s.peers)},
                         work + "/launcher-" + std::to_string(run) + ".txt");
  if (launcher <= 0) {
    std::cerr << "bench-scale: cannot start p2plab\n";
    return f;
  }
  EventTail events(out + "/events.jsonl");
  auto start = Clock::now();
  double machine_before = machine_busy_seconds();
  while (events.logins() < s.peers && events.unexpected_exits() == 0 &&
         seconds_since(start) < s.login_limit) {
    std::this_thread::sleep_for(100ms);
    events.poll();
  }
  f.logged_in = events.logins();
  if (events.unexpected_exits() > 0) {
    std::cerr << "bench-scale: " << events.unexpected_exits() << " nodes ended on their own; see " << out
              << "/logs/ (kept)\n";
    stop(launcher, 10'000);
    return f;
  }
  if (f.logged_in == s.peers) f.login_s = events.last_login_s();
  f.machine_cores = (machine_busy_seconds() - machine_before) / seconds_since(start);

  std::vector<pid_t> nodes;
  std::vector<double> rss, pss;
  for (const auto& [id, pid] : events.pids()) {
    double mib = rss_mib(pid);
    if (mib < 0) continue;
    nodes.push_back(pid);
    rss.push_back(mib);
    pss.push_back(pss_mib(pid));
    if (mib > f.rss_max_mib) {
      f.rss_max_mib = mib;
      f.rss_max_node = id;
    }
  }
  f.rss_median_mib = median(rss);
  f.pss_median_mib = median(pss);
  f.pss_max_mib = pss.empty() ? 0 : *std::max_element(pss.begin(), pss.end());
  std::vector<double> start_cpu;
  for (pid_t pid : nodes) start_cpu.push_back(1000 * cpu_seconds(pid));
  f.start_cpu_ms_per_node = median(start_cpu);
  f.start_cpu_launcher_s = cpu_seconds(launcher);
  if (f.login_s > 0) {
    double total = f.start_cpu_launcher_s;
    for (double ms : start_cpu) total += ms / 1000;
    f.start_cores = total / f.login_s;
  }

  // The idle lab: a second to settle after the last login, then the CPU over idle_seconds.
  std::this_thread::sleep_for(1s);
  std::vector<pid_t> all = nodes;
  all.push_back(launcher);
  double cpu_before = total_cpu(all), launcher_before = cpu_seconds(launcher);
  auto idle_start = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(s.idle_seconds));
  double idle = seconds_since(idle_start);
  f.idle_cpu_percent = 100 * (total_cpu(all) - cpu_before) / idle;
  f.launcher_cpu_percent = 100 * (cpu_seconds(launcher) - launcher_before) / idle;

  // The dashboard, attached from outside like a user's `p2plab dash`: frames counted after a warm-up second
  // (its first frames come while it takes in the launcher's node list).
  {
    std::string frames = work + "/frames-" + std::to_string(run);
    testing::TmuxSession dash(
        "p2p-bench-scale-" + std::to_string(::getpid()),
        "exec env TERM=screen P2P_DASH_FRAMES=" + frames + " " + bin_dir() + "/p2plab dash " + out, 120, 40);
    auto attached = Clock::now();
    while (dash.started() && read_frames(frames).frames < 2 && seconds_since(attached) < 10) {
      std::this_thread::sleep_for(50ms);
    }
    std::this_thread::sleep_for(1s);
    FrameLine first = read_frames(frames);
    pid_t dash_pid = dash.pid();
    double dash_cpu_before = cpu_seconds(dash_pid);
    auto measured = Clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(s.dash_seconds));
    FrameLine last = read_frames(frames);
    f.dash_cpu_percent = 100 * (cpu_seconds(dash_pid) - dash_cpu_before) / seconds_since(measured);
    if (first.frames > 0 && last.frames > first.frames) {
      f.dash_interval_s = (last.elapsed - first.elapsed) / static_cast<double>(last.frames - first.frames);
    }
    f.dash_longest_s = last.longest;
  }

  stop(launcher, 10'000);
  if (!s.keep && f.logged_in == s.peers) fs::remove_all(out);  // a failed run's folder stays for a look
  return f;
}

void print_run(int run, const Figures& f, std::size_t peers) {
  std::cout << std::fixed << std::setprecision(2) << "run " << run << ": logged in " << f.logged_in << "/"
            << peers << " in " << f.login_s << " s (CPU " << f.start_cpu_ms_per_node
            << " ms per node, launcher " << f.start_cpu_launcher_s << " s, " << f.start_cores
            << " cores busy of " << f.machine_cores << " on the machine); RSS median " << f.rss_median_mib
            << " max " << f.rss_max_mib << " MiB (" << f.rss_max_node << "), PSS median " << f.pss_median_mib
            << " max " << f.pss_max_mib << " MiB; idle CPU " << f.idle_cpu_percent << "% (launcher "
            << f.launcher_cpu_percent << "%); dashboard frame every " << f.dash_interval_s << " s (longest "
            << f.dash_longest_s << " s, CPU " << f.dash_cpu_percent << "%)" << std::endl;
}

int run(const Settings& s) {
  std::string work = (fs::temp_directory_path() / ("p2p-bench-scale-" + std::to_string(::getpid()))).string();
  fs::create_directories(work);
  std::cout << "Napster lab of 1 server and " << s.peers << " peers (" << s.scenario << "), " << s.runs
            << " runs\n";
  std::vector<Figures> all;
  for (int i = 0; i < s.runs; ++i) {
    all.push_back(run_once(s, work, i + 1));
    print_run(i + 1, all.back(), s.peers);
  }
  auto med = [&](double Figures::*field) {
    std::vector<double> values;
    for (const Figures& f : all) values.push_back(f.*field);
    return median(values);
  };
  bool all_in = std::all_of(all.begin(), all.end(), [&](const Figures& f) { return f.logged_in == s.peers; });
  std::cout << std::fixed << std::setprecision(2) << "\nmedians of " << s.runs << " runs:\n  all " << s.peers
            << " logged in after  ";
  if (all_in) {
    std::cout << med(&Figures::login_s) << " s";
  } else {
    std::cout << "(not all, in some run)";
  }
  std::cout << "   (goal: 30 s or less)\n"
            << "  CPU to get there       " << med(&Figures::start_cpu_ms_per_node)
            << " ms per node, launcher " << med(&Figures::start_cpu_launcher_s) << " s;\n"
            << "                         the lab kept " << med(&Figures::start_cores)
            << " cores busy, the machine " << med(&Figures::machine_cores) << " of "
            << std::thread::hardware_concurrency() << "\n"
            << "  RSS per node           median " << med(&Figures::rss_median_mib) << " MiB, max "
            << med(&Figures::rss_max_mib) << " MiB   (goal: 8 MiB or less)\n"
            << "  PSS per node           median " << med(&Figures::pss_median_mib) << " MiB, max "
            << med(&Figures::pss_max_mib) << " MiB   (RSS counts the shared libraries' pages in every node)\n"
            << "  idle lab CPU           " << med(&Figures::idle_cpu_percent) << " % of one core (launcher "
            << med(&Figures::launcher_cpu_percent) << " %)\n"
            << "  dashboard refresh      every " << med(&Figures::dash_interval_s) << " s, longest "
            << med(&Figures::dash_longest_s) << " s, CPU " << med(&Figures::dash_cpu_percent)
            << " %   (goal: 1 s or less)\n";
  if (!s.keep && all_in) fs::remove_all(work);  // a failed run's folder stays for a look
  return 0;
}

}  // namespace
}  // namespace p2p::bench

int main(int argc, char** argv) {
  using namespace p2p;
  bench::Settings s;
  CliSpec spec = bench::cli_spec(
      "bench-scale",
      "Runs a Napster lab of 1 server and 500 peers with p2plab and prints the login time, RSS per node,\n"
      "the idle lab's CPU and the attached dashboard's refresh interval (needs tmux).");
  spec.options.add_options()("scenario", po::value(&s.scenario)->default_value(s.scenario),
                             "the lab (role.peer.count is set to --peers)")(
      "peers", po::value(&s.peers)->default_value(s.peers), "napster peers")(
      "idle-seconds", po::value(&s.idle_seconds)->default_value(s.idle_seconds),
      "how long the idle lab's CPU is measured")("dash-seconds",
                                                 po::value(&s.dash_seconds)->default_value(s.dash_seconds),
                                                 "how long the dashboard's frames are counted")(
      "runs", po::value(&s.runs)->default_value(s.runs), "labs to run; the median is reported")(
      "keep", po::bool_switch(&s.keep), "keep the run folders (p2p-bench-scale-PID under $TMPDIR, or /tmp)");
  parse_cli(argc, argv, spec);
  if (s.peers == 0 || s.runs < 1 || !(s.idle_seconds > 0) || !(s.dash_seconds > 0))
    fail_setup(spec.program, "--peers, --runs, --idle-seconds and --dash-seconds must be positive");
  if (std::system("command -v tmux >/dev/null") != 0)
    fail_setup(spec.program, "needs tmux for the dashboard");
  return bench::run(s);
}
