// The SimNet half of bench-coolstreaming: see sim_audience.h.
#include "tests/bench/coolstreaming/sim_audience.h"

#include <signal.h>
#include <unistd.h>

#include <iomanip>
#include <iostream>
#include <optional>

#include "tests/bench/bench_util.h"
#include "tests/coolstreaming/stream_swarm.h"

namespace p2p::bench {
namespace {

using coolstreaming::Swarm;
using coolstreaming::SwarmFigures;

// The rate the sim tests' 1,000-peer swarm arrives at (tests/coolstreaming/stream_sim_test.cpp); the
// source admits 50 joins at a time.
constexpr std::size_t kJoiningPerSecond = 50;

struct SimRun {
  SwarmFigures figures;
  double cpu_seconds = 0;  // the child's: unlike its wall time, hardly changed by other programs' load
  double max_rss_mib = 0;
};

// One swarm in a forked child, which sends its figures back through a pipe; nothing if it failed, ran past
// the limit or was interrupted (the child is stopped then).
std::optional<SimRun> run_in_child(const Swarm& swarm, double limit_s) {
  int channel[2];
  if (::pipe(channel) != 0) return std::nullopt;
  std::cout.flush();
  const pid_t child = ::fork();
  if (child == 0) {
    ::signal(SIGINT, SIG_DFL);  // Ctrl-C ends the child at once; the parent reports it
    ::signal(SIGTERM, SIG_DFL);
    ::close(channel[0]);
    const SwarmFigures figures = coolstreaming::run_swarm(swarm);
    const bool sent = ::write(channel[1], &figures, sizeof figures) == sizeof figures;
    ::_exit(sent ? 0 : 1);
  }
  ::close(channel[1]);
  std::optional<SimRun> run;
  if (child > 0) {
    std::optional<Finished> finished = wait_until(child, limit_s);
    if (!finished) stop(child);
    SwarmFigures figures;
    if (finished && finished->code == 0 && ::read(channel[0], &figures, sizeof figures) == sizeof figures) {
      run = SimRun{
          .figures = figures, .cpu_seconds = finished->cpu_seconds, .max_rss_mib = finished->max_rss_mib};
    }
  }
  ::close(channel[0]);
  return run;
}

}  // namespace

SearchResult run_sim_audiences(const SimSettings& s) {
  std::cout
      << "SimNet: 1 source and N peers on 2 Mbit/s lines (tests/coolstreaming/stream_swarm.h), arriving "
      << kJoiningPerSecond << " a second, then " << std::defaultfloat << s.minutes
      << " virtual minute(s) of stream; medians of " << s.runs
      << " runs (seeds 7 and up), each in a child process\n"
      << "   peers     playing  continuity     p10   wall s per   CPU s per    peak RSS    RSS per\n"
      << "                            mean          virtual min virtual min         MiB   peer KiB\n";
  double rss_per_peer_mib = 0;  // of the last size measured: what the next one will roughly need
  auto measure = [&](std::size_t peers) {
    // A peer's share grows with the audience (2.7 MiB at 250 peers, 2.9 at 2,000, over 3.3 at 4,000 here).
    const double needed_mib = rss_per_peer_mib * static_cast<double>(peers) * 1.5;
    if (needed_mib > available_memory_mib()) {
      std::cout << std::fixed << std::setprecision(1) << "  stopped before " << peers
                << " peers: they would need about " << needed_mib / 1024 << " GiB, "
                << available_memory_mib() / 1024 << " GiB available\n";
      return Verdict::Stopped;
    }
    std::vector<double> mean, p10, playing, wall_per_minute, cpu_per_minute, rss;
    for (int r = 0; r < s.runs; ++r) {
      Swarm swarm;
      swarm.peers = peers;
      swarm.joining_per_second = kJoiningPerSecond;
      swarm.run = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(60 * s.minutes));
      swarm.seed = 7 + static_cast<std::uint64_t>(r);
      std::optional<SimRun> run = run_in_child(swarm, s.run_limit_s);
      if (!run) {
        std::cout << "  " << peers << " peers: the run "
                  << (interrupted() ? "was interrupted" : "failed or ran past --sim-limit") << "\n";
        return Verdict::Stopped;
      }
      mean.push_back(run->figures.continuity_mean);
      p10.push_back(run->figures.continuity_p10);
      playing.push_back(static_cast<double>(run->figures.playing));
      wall_per_minute.push_back(60 * run->figures.wall_s / run->figures.virtual_s);
      cpu_per_minute.push_back(60 * run->cpu_seconds / run->figures.virtual_s);
      rss.push_back(run->max_rss_mib);
    }
    rss_per_peer_mib = median(rss) / static_cast<double>(peers);
    const bool held = median(mean) >= s.goal && median(playing) >= static_cast<double>(peers);
    std::cout << std::fixed << std::setprecision(0) << std::setw(8) << peers << std::setw(6)
              << median(playing) << "/" << std::left << std::setw(6) << peers << std::right
              << std::setprecision(4) << std::setw(12) << median(mean) << std::setw(8) << median(p10)
              << std::setprecision(1) << std::setw(13) << median(wall_per_minute) << std::setw(12)
              << median(cpu_per_minute) << std::setprecision(0) << std::setw(12) << median(rss)
              << std::setw(11) << 1024 * rss_per_peer_mib << "   " << (held ? "holds" : "MISSES")
              << std::endl;
    return held ? Verdict::Held : Verdict::Missed;
  };
  return search_audience(s.sizes, s.bisect, measure);
}

}  // namespace p2p::bench
