// bench-bittorrent b: the tracker under wrk, per connection and kept alive, beside opentracker.
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

#include "bittorrent/bencode.h"
#include "bittorrent/metainfo.h"
#include "bittorrent/tracker_request.h"
#include "common/util/encoding.h"
#include "tests/bench/bench_util.h"

namespace p2p::bench {
namespace {

namespace fs = std::filesystem;
using interop::Process;
using interop::ScratchDir;

// A BitTorrent client announces once every several minutes (the
// tracker's interval, BEP 3), far too seldom to keep a connection open, so every announce comes on a new TCP
// connection: that figure is what a tracker's users cost it, and it comes first. wrk's default, 64
// connections kept alive, shows the cost of an answer alone. opentracker closes every connection after one
// answer either way.
//
// Where a connection's cost goes. Until the Transport moved to plain sockets, every connection crossed
// ZeroMQ's ZMQ_STREAM socket: about 31 system calls over two threads, and 80.9 us of CPU per announce on a
// new connection against opentracker's 29.6 (0.61x per connection). On plain sockets bt-tracker spent 42.8
// to 48.5 us against 27.2 to 33.1 (0.81x to 0.93x). perf then found 17 % of its samples turning each peer's
// address into text and back for the compact list (Endpoint::from_ipv4, Endpoint::ipv4), and a setsockopt
// per accepted socket. With both gone, bt-tracker makes 5 system calls per connection (accept4, epoll_ctl,
// recvfrom, sendto, close; epoll_wait and poll are shared by a batch) against opentracker's 13, and five
// runs gave 38.2 us against 36.0 (0.98x), at load 1.5 to 2 on this 2-core machine, where wrk takes the cores
// the trackers need and the ratio moves by 0.1 from one run to the next. Both spend most of their samples in
// the kernel (the loopback TCP work of the send and the close, about 30 us), which no tracker avoids.
// Then who closes first: the Transport hung up at the end of a batch of reads, so wrk often read the
// answer and closed before bt-tracker did, and the side that closes last does the teardown (tcp_fin,
// tcp_time_wait, tcp_done). Closing right behind each answer, as opentracker does, took bt-tracker from
// 48.9 to 43.4 us per announce (medians of 5 runs each, opentracker 35.3 and 35.6), and its kernel time
// per announce to opentracker's (31 us each). What is left is user time: about 12 us against 5.

// How wrk's clients treat their connections.
enum class Connections { Close, KeepAlive };

// One tracker's figures over one wrk run.
struct TrackerFigures {
  double per_s = 0;   // answers per second, as wrk counts them; 0 when the tracker did not answer
  double cpu_us = 0;  // the tracker's CPU time per answer (all its threads), in microseconds
  std::string note;   // what the tracker answered, and any non-2xx answers
};

class TrackerBench {
 public:
  explicit TrackerBench(const Settings& s) : s_(s) {
    Sha1Digest digest = sha1(as_bytes(std::string_view("bench-bittorrent")));
    request_.info_hash = digest;
    std::ranges::copy(std::string_view("-WR0001-benchmarking"), request_.peer_id.begin());
    request_.port = 6881;
    request_.left = 1000;
    request_.compact = true;
    request_.numwant = 40;
  }

  void run() {
    std::cout << std::defaultfloat << "b. tracker: wrk -t2 -c64 -d" << s_.wrk_seconds
              << "s on one /announce (compact, numwant 40, " << kSwarm
              << " peers known), each way on each tracker in every run; load before: " << load_text() << "\n";
    // [tracker][way]: 0 bt-tracker, 1 opentracker; 0 Connection: close, 1 keep-alive.
    std::vector<TrackerFigures> figures[2][2];
    for (int i = 0; i < s_.runs; ++i) {
      // Alternate which tracker goes first, so neither always meets the machine's load at the same moment.
      for (int k = 0; k < 2; ++k) {
        int which = (i + k) % 2;
        auto tracker = which == 0 ? start_bt_tracker() : start_opentracker();
        bool ready = fill_swarm();
        for (Connections way : {Connections::Close, Connections::KeepAlive}) {
          figures[which][way == Connections::Close ? 0 : 1].push_back(
              ready ? measure(*tracker, way) : TrackerFigures{0, 0, " (did not start)"});
        }
      }
      std::cerr << std::fixed << std::setprecision(0) << "  run " << i + 1 << "/" << s_.runs
                << ": close: bt-tracker " << figures[0][0].back().per_s << "/s, opentracker "
                << figures[1][0].back().per_s << "/s; keep-alive: bt-tracker " << figures[0][1].back().per_s
                << "/s, opentracker " << figures[1][1].back().per_s << "/s; load " << load_text() << "\n";
    }
    report("per connection (Connection: close, one announce per TCP connection, as clients announce)",
           figures[0][0], figures[1][0], " (goal: >= 1.0)");
    report("keep-alive (wrk's 64 connections reused; opentracker still closes each)", figures[0][1],
           figures[1][1], "");
    std::cout << "   load after: " << load_text() << "\n";
  }

 private:
  static constexpr int kSwarm = 60;

  // Medians of one way, the ratio, and the last run's notes.
  void report(const std::string& title, const std::vector<TrackerFigures>& ours,
              const std::vector<TrackerFigures>& theirs, const std::string& goal) const {
    auto median_of = [](const std::vector<TrackerFigures>& runs, double TrackerFigures::*field) {
      std::vector<double> values;
      for (const TrackerFigures& f : runs) values.push_back(f.*field);
      return median(values);
    };
    double p = median_of(ours, &TrackerFigures::per_s), o = median_of(theirs, &TrackerFigures::per_s);
    std::cout << "   " << title << ":\n"
              << std::fixed << std::setprecision(0) << "     bt-tracker:  " << p << " announces/s, "
              << std::setprecision(1) << median_of(ours, &TrackerFigures::cpu_us) << " us CPU each"
              << ours.back().note << "\n"
              << std::setprecision(0) << "     opentracker: " << o << " announces/s, " << std::setprecision(1)
              << median_of(theirs, &TrackerFigures::cpu_us) << " us CPU each" << theirs.back().note << "\n"
              << "     ratio bt-tracker/opentracker " << std::setprecision(2) << (o > 0 ? p / o : 0)
              << ", median of " << s_.runs << " runs" << goal << "\n";
  }

  // bt-tracker tracking the one info-hash.
  std::unique_ptr<Process> start_bt_tracker() {
    port_ = free_port();
    return std::make_unique<Process>(
        std::vector<std::string>{"bt-tracker", "--info-hash", to_hex(request_.info_hash), "--listen",
                                 "127.0.0.1:" + std::to_string(port_)},
        dir_ / "bt-tracker.log");
  }

  // Debian builds opentracker with a whitelist: the info-hash goes in a file under its -d folder, readable by
  // the user it drops to.
  std::unique_ptr<Process> start_opentracker() {
    port_ = free_port();
    std::ofstream(dir_ / "whitelist") << to_hex(request_.info_hash) << "\n";
    fs::permissions(dir_ / "whitelist", fs::perms::others_read | fs::perms::group_read,
                    fs::perm_options::add);
    return std::make_unique<Process>(
        std::vector<std::string>{"opentracker", "-i", "127.0.0.1", "-p", std::to_string(port_), "-P",
                                 std::to_string(port_), "-d", dir_.path().string(), "-w", "whitelist"},
        dir_ / "opentracker.log");
  }

  // Fills the tracker that listens on port_ with a swarm for wrk's announce to draw from.
  bool fill_swarm() {
    if (!interop::port_open(static_cast<std::uint16_t>(port_), std::chrono::seconds(5))) return false;
    for (int i = 0; i < kSwarm; ++i) {
      bittorrent::AnnounceRequest peer = request_;
      std::string id = "-BN0001-" + std::to_string(1'000'000'000'000 + i).substr(1);
      std::ranges::copy(id, peer.peer_id.begin());
      peer.port = static_cast<std::uint16_t>(10000 + i);
      peer.left = i % 4 == 0 ? 0 : 1000;
      peer.event = bittorrent::AnnounceEvent::Started;
      http_get(port_, "/announce?" + bittorrent::announce_query(peer));
    }
    return true;
  }

  // Lets wrk repeat one announce from outside the swarm, on connections used `way`.
  TrackerFigures measure(const Process& tracker, Connections way) {
    TrackerFigures out;
    std::string target = "/announce?" + bittorrent::announce_query(request_);
    auto answer = http_get(port_, target);
    auto decoded = bittorrent::decode(as_bytes(answer.value_or("")));
    const auto* peers = decoded ? decoded->find("peers") : nullptr;
    if (peers == nullptr || peers->if_string() == nullptr) {
      out.note = " (no peers in its answer: " + answer.value_or("no answer") + ")";
      return out;
    }
    out.note = " (answers " + std::to_string(answer->size()) + " bytes, " +
               std::to_string(peers->if_string()->size() / 6) + " peers; " +
               (keeps_connections_open(port_, target) ? "keeps HTTP/1.1 connections open"
                                                      : "closes each connection after one answer") +
               ")";
    fs::path out_file = dir_ / "wrk.out";
    std::ostringstream duration;
    duration << s_.wrk_seconds << "s";
    std::vector<std::string> argv = {"wrk", "-t2", "-c64", "-d" + duration.str()};
    if (way == Connections::Close) argv.insert(argv.end(), {"-H", "Connection: close"});
    argv.push_back("http://127.0.0.1:" + std::to_string(port_) + target);
    double cpu_before = cpu_seconds(tracker.pid());
    Process wrk(argv, {}, out_file);
    if (wrk.wait(std::chrono::seconds(static_cast<int>(s_.wrk_seconds) + 30)) != 0) return out;
    double cpu = cpu_seconds(tracker.pid()) - cpu_before;
    std::string report = interop::read_text(out_file);
    static const std::regex kRate(R"(Requests/sec:\s*([0-9.]+))"), kCount(R"(([0-9]+) requests in)"),
        kBad(R"(Non-2xx or 3xx responses:\s*([0-9]+))");
    std::smatch rate, count, bad;
    if (!std::regex_search(report, rate, kRate) || !std::regex_search(report, count, kCount)) return out;
    if (std::regex_search(report, bad, kBad)) out.note += "; " + std::string(bad[1]) + " non-2xx answers";
    out.per_s = std::stod(rate[1]);
    double answers = std::stod(count[1]);
    out.cpu_us = answers > 0 ? cpu * 1e6 / answers : 0;
    return out;
  }

  const Settings& s_;
  bittorrent::AnnounceRequest request_;
  ScratchDir dir_;
  int port_ = 0;
};

}  // namespace

void run_tracker_bench(const Settings& settings) {
  TrackerBench(settings).run();
}

}  // namespace p2p::bench
