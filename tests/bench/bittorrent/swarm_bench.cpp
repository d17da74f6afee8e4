// bench-bittorrent c: a shaped swarm of one seed and many leechers.
#include "tests/bench/bittorrent/bittorrent_bench.h"

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <regex>
#include <thread>

#include "bittorrent/metainfo.h"
#include "bittorrent/tracker_request.h"
#include "common/util/encoding.h"
#include "tests/bench/bench_util.h"

namespace p2p::bench {
namespace {

using interop::Process;
using interop::ScratchDir;
using Clock = std::chrono::steady_clock;

// The swarm's links, as the launcher's profiles name them: the seed on "fibre", the leechers on "cable".
struct Link {
  const char* name;
  std::uint64_t up_kbps, down_kbps;
  int latency_ms;
};
constexpr Link kSeedLink{"fibre", 50000, 100000, 2};
constexpr Link kLeecherLink{"cable", 2000, 10000, 10};

struct SwarmFigures {
  double all_complete_s = 0;  // 0: not all completed
  double peak_rss_mib = 0;
  int completed = 0, corrupt = 0;
  std::vector<double> download_s;  // each leecher's, as it reports it
};

class SwarmBench {
 public:
  explicit SwarmBench(const Settings& s) : s_(s) {}

  void run() {
    std::cout << "c. swarm: 1 seed (" << kSeedLink.name << ", " << kSeedLink.up_kbps / 1000 << "/"
              << kSeedLink.down_kbps / 1000 << " Mbit/s) and " << s_.leechers << " leechers ("
              << kLeecherLink.name << ", " << kLeecherLink.up_kbps / 1000 << "/"
              << kLeecherLink.down_kbps / 1000 << " Mbit/s, " << kLeecherLink.latency_ms << " ms), "
              << s_.swarm_mib << " MiB, all started at once; load before: " << load_text() << "\n";
    std::vector<double> times, rss;
    int worst_completed = s_.leechers, corrupt = 0;
    for (int i = 0; i < s_.swarm_runs; ++i) {
      SwarmFigures f = run_once();
      times.push_back(f.all_complete_s);
      rss.push_back(f.peak_rss_mib);
      worst_completed = std::min(worst_completed, f.completed);
      corrupt += f.corrupt;
      std::sort(f.download_s.begin(), f.download_s.end());
      std::cerr << std::fixed << std::setprecision(1) << "  run " << i + 1 << "/" << s_.swarm_runs << ": "
                << f.completed << "/" << s_.leechers << " complete after " << f.all_complete_s
                << " s, peak RSS " << f.peak_rss_mib << " MiB, " << f.corrupt << " corrupt; download times "
                << (f.download_s.empty() ? 0 : f.download_s.front()) << " / " << median(f.download_s) << " / "
                << (f.download_s.empty() ? 0 : f.download_s.back()) << " s (min/median/max)\n";
    }
    std::cout << std::fixed << std::setprecision(1) << "   all complete after " << median(times)
              << " s (from the first leecher's launch); peak total RSS " << median(rss) << " MiB ("
              << median(rss) / (s_.leechers + 2) << " MiB a process, tracker included)\n   "
              << worst_completed << " of " << s_.leechers << " leechers completed in the worst run, "
              << corrupt << " corrupt files; median of " << s_.swarm_runs
              << " run(s) (goal: all complete, no corrupt file)\n   load after: " << load_text() << "\n";
  }

 private:
  SwarmFigures run_once() {
    SwarmFigures out;
    ScratchDir dir;
    std::uint64_t bytes = s_.swarm_mib << 20;
    int tracker_port = free_port();
    std::string announce = "http://127.0.0.1:" + std::to_string(tracker_port) + "/announce";
    std::vector<std::unique_ptr<Process>> processes;
    processes.push_back(std::make_unique<Process>(
        std::vector<std::string>{"bt-tracker", "--open", "--interval", "5", "--listen",
                                 "127.0.0.1:" + std::to_string(tracker_port)},
        dir / "tracker.log"));
    if (!interop::port_open(static_cast<std::uint16_t>(tracker_port), std::chrono::seconds(5))) return out;
    auto peer = [&](const std::string& name, const Link& link, std::vector<std::string> extra) {
      std::vector<std::string> argv = {"bt-peer",
                                       "--synthetic",
                                       std::to_string(bytes),
                                       "--announce",
                                       announce,
                                       "--data",
                                       (dir / name).string(),
                                       "--up-kbps",
                                       std::to_string(link.up_kbps),
                                       "--down-kbps",
                                       std::to_string(link.down_kbps),
                                       "--latency-ms",
                                       std::to_string(link.latency_ms),
                                       "--node-id",
                                       name};
      argv.insert(argv.end(), extra.begin(), extra.end());
      processes.push_back(std::make_unique<Process>(argv, dir / (name + ".log")));
    };
    peer("seed", kSeedLink, {"--seeder"});
    if (!interop::wait_until([&] { return interop::logged_port(dir / "seed.log") != 0; },
                             std::chrono::seconds(30)))
      return out;
    auto start = Clock::now();
    for (int i = 0; i < s_.leechers; ++i) {
      peer("leech-" + std::to_string(i), kLeecherLink,
           {"--seed", std::to_string(i + 2), "--log-level", "debug"});
    }
    std::vector<bool> done(s_.leechers, false);
    auto limit = std::chrono::minutes(10);
    while (out.completed < s_.leechers && Clock::now() - start < limit) {
      double rss = 0;
      for (const auto& p : processes) rss += std::max(0.0, rss_mib(p->pid()));
      out.peak_rss_mib = std::max(out.peak_rss_mib, rss);
      for (int i = 0; i < s_.leechers; ++i) {
        if (done[i]) continue;
        auto event = completed_event(dir / ("leech-" + std::to_string(i) + ".log"));
        if (!event) continue;
        done[i] = true;
        ++out.completed;
        out.download_s.push_back(event->value("seconds", 0.0));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    if (out.completed == s_.leechers) out.all_complete_s = seconds_since(start);
    signal_all(processes);
    processes.clear();
    std::string original = interop::read_text(dir / "seed" / "synthetic.bin");
    for (int i = 0; i < s_.leechers; ++i) {
      if (done[i] && interop::read_text(dir / ("leech-" + std::to_string(i)) / "synthetic.bin") != original)
        ++out.corrupt;
    }
    return out;
  }

  const Settings& s_;
};

}  // namespace

void run_swarm_bench(const Settings& settings) {
  SwarmBench(settings).run();
}

}  // namespace p2p::bench
