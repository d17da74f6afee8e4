// bench-bittorrent a: one seed to one leecher, bt-peer beside aria2c.
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

namespace fs = std::filesystem;
using interop::Process;
using interop::ScratchDir;
using Clock = std::chrono::steady_clock;

struct TransferFigures {
  double mib_s = 0;                          // as the client reports its download
  double wall_s = 0;                         // from the leecher's start to a complete file
  double leecher_cpu_s = 0, seed_cpu_s = 0;  // CPU time each process used for the transfer
  bool intact = false;                       // the file equals the original
};

// CPU seconds of the children this process has reaped so far: read around the reaping of one child, the
// difference is that child's whole CPU time (it is gone before /proc could be read at its end).
double reaped_children_cpu() {
  rusage usage{};
  ::getrusage(RUSAGE_CHILDREN, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

class TransferBench {
 public:
  explicit TransferBench(const Settings& s) : s_(s), bytes_(s.size_mib << 20) {}

  void run() {
    std::cout << "a. 1 seed -> 1 leecher, " << s_.size_mib << " MiB in " << s_.piece_kib
              << " KiB pieces, unshaped loopback, files in " << dir_.path().parent_path().string()
              << "; load before: " << load_text() << "\n";
    prepare();
    std::vector<double> ours, theirs, ours_wall, theirs_wall, ours_cpu, theirs_cpu;
    int broken = 0;
    for (int i = 0; i < s_.runs; ++i) {
      TransferFigures p = p2plab_run(), a = aria2c_run();
      broken += (p.intact ? 0 : 1) + (a.intact ? 0 : 1);
      ours.push_back(p.mib_s);
      theirs.push_back(a.mib_s);
      ours_wall.push_back(p.wall_s);
      theirs_wall.push_back(a.wall_s);
      ours_cpu.push_back((p.leecher_cpu_s + p.seed_cpu_s) / gib());
      theirs_cpu.push_back((a.leecher_cpu_s + a.seed_cpu_s) / gib());
      std::cerr << std::fixed << std::setprecision(1) << "  run " << i + 1 << "/" << s_.runs << ": bt-peer "
                << p.mib_s << " MiB/s (" << p.wall_s << " s wall" << (p.intact ? "" : ", FILE DIFFERS")
                << "), aria2c " << a.mib_s << " MiB/s (" << a.wall_s << " s wall"
                << (a.intact ? "" : ", FILE DIFFERS") << "); CPU s/GiB (leecher + seed): bt-peer "
                << std::setprecision(2) << p.leecher_cpu_s / gib() << " + " << p.seed_cpu_s / gib()
                << ", aria2c " << a.leecher_cpu_s / gib() << " + " << a.seed_cpu_s / gib() << "\n";
    }
    double p = median(ours), a = median(theirs);
    std::cout << std::fixed << std::setprecision(1) << "   bt-peer -> bt-peer: " << p
              << " MiB/s (from its start to its last piece stored; " << median(ours_wall)
              << " s from launch to a complete file)\n"
              << "   aria2c  -> aria2c:  " << a << " MiB/s (its own average download speed; "
              << median(theirs_wall) << " s from launch to exit)\n"
              << "   CPU per GiB moved (leecher + seed): bt-peer " << std::setprecision(2) << median(ours_cpu)
              << " s, aria2c " << median(theirs_cpu) << " s (a figure the machine's load disturbs less)\n"
              << "   ratio " << std::setprecision(2) << (a > 0 ? p / a : 0) << "x, median of " << s_.runs
              << " runs; " << broken << " files differ (goal: >= 350 MiB/s and >= 8x aria2c)\n"
              << "   load after: " << load_text() << "\n";
  }

 private:
  void prepare() {
    interop::write_random_file(original(), bytes_, 42);
    tracker_port_ = free_port();
    tracker_ = std::make_unique<Process>(
        std::vector<std::string>{"bt-tracker", "--open", "--interval", "2", "--peer-timeout", "3", "--listen",
                                 "127.0.0.1:" + std::to_string(tracker_port_)},
        dir_ / "tracker.log");
    if (!interop::port_open(static_cast<std::uint16_t>(tracker_port_), std::chrono::seconds(5)))
      fail_setup("bench-bittorrent", "bt-tracker did not start");
    Process maker({"bt-maketorrent", "--announce",
                   "http://127.0.0.1:" + std::to_string(tracker_port_) + "/announce", "--piece-length",
                   std::to_string(s_.piece_kib * 1024), "--output", torrent().string(), original().string()},
                  dir_ / "maketorrent.log");
    if (maker.wait(std::chrono::seconds(120)) != 0)
      fail_setup("bench-bittorrent",
                 "bt-maketorrent failed: " + interop::read_text(dir_ / "maketorrent.log"));
    auto metainfo = bittorrent::parse_metainfo(as_bytes(interop::read_text(torrent())));
    if (!metainfo) fail_setup("bench-bittorrent", "bt-maketorrent's torrent: " + metainfo.reason());
    info_hash_ = metainfo->info_hash;
  }

  fs::path original() const { return dir_ / "seed" / "file.bin"; }
  double gib() const { return static_cast<double>(bytes_) / (1 << 30); }
  fs::path torrent() const { return dir_ / "file.torrent"; }

  // Waits until the tracker lists exactly `seeds` seeds and no leecher (the last run's peers are gone).
  bool await_swarm(std::int64_t seeds) {
    return interop::wait_until(
        [&] {
          Scrape now = scrape(tracker_port_, info_hash_);
          return now.complete == seeds && now.incomplete == 0;
        },
        std::chrono::seconds(20));
  }

  TransferFigures p2plab_run() {
    TransferFigures out;
    await_swarm(0);
    Process seed({"bt-peer", "--torrent", torrent().string(), "--data", original().parent_path().string()},
                 dir_ / "p2plab-seed.log");
    if (!await_swarm(1)) return out;
    fs::path folder = dir_ / "p2plab-leech", log = dir_ / "p2plab-leech.log";
    fs::remove_all(folder);
    fs::remove(log);  // the last run's "completed" must not be read before the new process truncates it
    // --no-verify: the leecher hashes each piece as it arrives, and does not read the whole file back at the
    // end (aria2c does not either).
    auto start = Clock::now();
    double seed_cpu = cpu_seconds(seed.pid()), reaped_cpu = reaped_children_cpu();
    Process leecher({"bt-peer", "--torrent", torrent().string(), "--data", folder.string(), "--seed-time",
                     "0", "--no-verify", "--log-level", "debug"},
                    log);
    std::optional<nlohmann::json> done;
    interop::wait_until([&] { return (done = completed_event(log)).has_value(); }, std::chrono::minutes(5));
    out.wall_s = seconds_since(start);
    if (!done) return out;
    double seconds = done->value("seconds", 0.0);
    out.mib_s = seconds > 0 ? static_cast<double>(bytes_) / (1 << 20) / seconds : 0;
    out.seed_cpu_s = cpu_seconds(seed.pid()) - seed_cpu;
    if (leecher.wait(std::chrono::seconds(10)) == 0) out.leecher_cpu_s = reaped_children_cpu() - reaped_cpu;
    out.intact = interop::same_contents(original(), folder / "file.bin");
    fs::remove_all(folder);
    return out;
  }

  TransferFigures aria2c_run() {
    TransferFigures out;
    await_swarm(0);
    std::vector<std::string> seeder = interop::aria2c_flags(static_cast<std::uint16_t>(free_port()));
    seeder.insert(seeder.end(), {"--bt-seed-unverified=true", "--seed-ratio=0.0", "--dir",
                                 original().parent_path().string(), torrent().string()});
    Process seed(seeder, dir_ / "aria2c-seed.log", dir_ / "aria2c-seed.out");
    if (!await_swarm(1)) return out;
    fs::path folder = dir_ / "aria2c-leech", result = dir_ / "aria2c-leech.out";
    fs::remove_all(folder);
    std::vector<std::string> leecher = interop::aria2c_flags(static_cast<std::uint16_t>(free_port()));
    leecher.insert(leecher.end(), {"--seed-time=0", "--file-allocation=falloc", "--dir", folder.string(),
                                   torrent().string()});
    auto start = Clock::now();
    double seed_cpu = cpu_seconds(seed.pid()), reaped_cpu = reaped_children_cpu();
    Process leech(leecher, dir_ / "aria2c-leech.log", result);
    if (leech.wait(std::chrono::minutes(10)) != 0) return out;
    out.wall_s = seconds_since(start);
    out.leecher_cpu_s = reaped_children_cpu() - reaped_cpu;
    out.seed_cpu_s = cpu_seconds(seed.pid()) - seed_cpu;
    out.mib_s = aria2c_average_speed(interop::read_text(result));
    out.intact = interop::same_contents(original(), folder / "file.bin");
    fs::remove_all(folder);
    return out;
  }

  // The "avg speed" column of aria2c's download results ("|OK  |   45MiB/s|/path"), in MiB/s.
  static double aria2c_average_speed(const std::string& results) {
    static const std::regex kRow(R"(\|OK\s*\|\s*([0-9.]+)([KMG]?i?B)/s\|)");
    std::smatch match;
    if (!std::regex_search(results, match, kRow)) return 0;
    double value = std::stod(match[1]);
    std::string unit = match[2];
    double scale = unit == "GiB" ? 1024 : unit == "MiB" ? 1 : unit == "KiB" ? 1.0 / 1024 : 1.0 / (1 << 20);
    return value * scale;
  }

  const Settings& s_;
  std::uint64_t bytes_;
  ScratchDir dir_;
  int tracker_port_ = 0;
  std::unique_ptr<Process> tracker_;
  Sha1Digest info_hash_{};
};

}  // namespace

void run_transfer_bench(const Settings& settings) {
  TransferBench(settings).run();
}

}  // namespace p2p::bench
