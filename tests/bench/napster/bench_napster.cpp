// bench-napster: a napster-server process indexing 100,000 files from 1,000 logged-in peers, and the searches
// per second it answers over loopback. Prints figures; passes or fails nothing.
#include <unistd.h>

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <set>
#include <thread>
#include <unordered_map>

#include "common/content/catalogue.h"
#include "common/content/query_workload.h"
#include "common/content/zipf_sampler.h"
#include "common/host/cli.h"
#include "common/host/transport.h"
#include "napster/codec.h"
#include "tests/bench/bench_util.h"

namespace p2p::bench {
namespace {

using napster::MessageType;

struct Settings {
  std::size_t peers = 1000;
  std::size_t files_per_peer = 100;
  std::size_t catalogue_files = 10'000;
  std::size_t searchers = 32;
  std::size_t in_flight = 4;       // searches each searcher keeps outstanding
  std::uint32_t max_results = 20;  // what napster-peer asks for by default
  double seconds = 3;
  int runs = 5;
};

// The load generator: every sharer and searcher connection of the benchmark on one Transport, in this
// process. It reads only the frame headers of what the server sends: the type says all it needs.
class Load {
 public:
  explicit Load(const Endpoint& server)
      : server_(server),
        transport_(reactor_, {},
                   Transport::Handlers{[](ConnId, bool) { return napster::make_framer(); },
                                       [this](ConnId c, bool, const Endpoint&) { on_open(c); },
                                       [this](ConnId c, ByteView f) { on_frame(c, f); },
                                       [this](ConnId c, const std::string& why) { on_closed(c, why); }}) {
    raise_fd_limit();
  }

  // Logs `shares.size()` sharers in and shares their files; returns the seconds until the server had
  // acknowledged the last share (a stats request sent after each sharer's files is answered in order).
  double build(const std::vector<Bytes>& shares) {
    TimePoint start = reactor_.now();
    for (std::size_t i = 0; i < shares.size(); ++i) {
      ConnId conn = transport_.connect(server_);
      clients_[conn] = Client{"sharer-" + std::to_string(i), &shares[i]};
    }
    run_until([&] { return stats_seen_ == 2 * shares.size(); }, seconds(120));  // login's stats, then ours
    return to_seconds(reactor_.now() - start);
  }

  void add_searchers(std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
      ConnId conn = transport_.connect(server_);
      clients_[conn] = Client{"searcher-" + std::to_string(i), nullptr};
      searchers_.push_back(conn);
    }
    run_until([&] { return searchers_online_ == count; }, seconds(30));
  }

  // Keeps `in_flight` searches outstanding on every searcher for `duration`; returns searches answered per
  // second.
  double search(const std::vector<Bytes>& queries, std::size_t in_flight, Duration duration) {
    queries_ = &queries;
    answered_ = 0;
    results_ = 0;
    in_flight_target_ = in_flight;
    for (ConnId conn : searchers_) {
      for (std::size_t k = clients_[conn].outstanding; k < in_flight; ++k) send_search(conn);
    }
    TimePoint start = reactor_.now();
    reactor_.run_for(duration);
    double rate = static_cast<double>(answered_) / to_seconds(reactor_.now() - start);
    in_flight_target_ = 0;  // let the outstanding ones drain before the next run
    run_until([&] { return outstanding() == 0; }, seconds(10));
    return rate;
  }

  double results_per_search() const { return answered_ == 0 ? 0 : static_cast<double>(results_) / answered_; }
  std::size_t closed() const { return closed_; }
  const std::string& last_close() const { return last_close_; }

 private:
  struct Client {
    std::string nick;
    const Bytes* shares = nullptr;  // null for a searcher
    std::size_t outstanding = 0;
  };

  void on_open(ConnId conn) {
    Client& c = clients_[conn];
    transport_.send(
        conn, napster::encode(napster::Login{c.nick, "bench",
                                             c.shares ? std::uint16_t{6699} : std::uint16_t{0}, "bench", 8}));
  }

  void on_frame(ConnId conn, ByteView frame) {
    auto type = static_cast<MessageType>(frame[2] | frame[3] << 8);
    Client& c = clients_[conn];
    switch (type) {
      case MessageType::LoginAck:
        if (c.shares != nullptr) {
          transport_.send(conn, *c.shares);
        } else {
          ++searchers_online_;
        }
        break;
      case MessageType::Stats:
        ++stats_seen_;
        break;
      case MessageType::SearchResult:
        ++results_;
        break;
      case MessageType::SearchEnd:
        ++answered_;
        --c.outstanding;
        if (c.outstanding < in_flight_target_) send_search(conn);
        break;
      default:
        break;
    }
  }

  void on_closed(ConnId, const std::string& why) {
    ++closed_;
    last_close_ = why;
  }

  void send_search(ConnId conn) {
    transport_.send(conn, (*queries_)[next_query_++ % queries_->size()]);
    ++clients_[conn].outstanding;
  }

  std::size_t outstanding() {
    std::size_t n = 0;
    for (ConnId conn : searchers_) n += clients_[conn].outstanding;
    return n;
  }

  void run_until(const std::function<bool()>& done, Duration limit) {
    TimePoint deadline = reactor_.now() + limit;
    while (!done() && reactor_.now() < deadline) reactor_.run_for(milliseconds(5));
  }

  Endpoint server_;
  zmq::context_t context_;
  Reactor reactor_;
  Transport transport_;
  std::unordered_map<ConnId, Client> clients_;
  std::vector<ConnId> searchers_;
  std::size_t searchers_online_ = 0;
  std::size_t stats_seen_ = 0;
  const std::vector<Bytes>* queries_ = nullptr;
  std::size_t next_query_ = 0;
  std::size_t in_flight_target_ = 0;
  std::uint64_t answered_ = 0;
  std::uint64_t results_ = 0;
  std::size_t closed_ = 0;
  std::string last_close_;
};

// Each sharer's files, as one batch of share messages followed by a stats request: exactly files_per_peer
// distinct catalogue files per peer, drawn by Zipf popularity, so popular files have many replicas. Sizes
// come from the catalogue; the MD5 is the name's (hashing the synthetic files would only slow the set-up).
std::vector<Bytes> share_batches(const content::Catalogue& catalogue, const Settings& s) {
  content::ZipfSampler sampler(catalogue.popularity());
  Rng rng(1);
  std::vector<Bytes> batches;
  for (std::size_t peer = 0; peer < s.peers; ++peer) {
    std::set<std::size_t> files;
    while (files.size() < std::min(s.files_per_peer, catalogue.size())) files.insert(sampler.draw(rng));
    Bytes batch;
    for (std::size_t index : files) {
      const content::FileEntry& f = catalogue.file(index);
      Bytes frame =
          napster::encode(napster::ShareFile{{f.name, md5(as_bytes(f.name)), f.size, 128, 44100, 0}});
      batch.insert(batch.end(), frame.begin(), frame.end());
    }
    Bytes stats = napster::encode(napster::StatsRequest{});
    batch.insert(batch.end(), stats.begin(), stats.end());
    batches.push_back(std::move(batch));
  }
  return batches;
}

// Searches a user would type: the words of catalogue files drawn by Zipf popularity (the lab's workload).
std::vector<Bytes> query_pool(const content::Catalogue& catalogue, std::uint32_t max_results) {
  content::QueryWorkload workload(catalogue);
  Rng rng(7);
  std::vector<Bytes> pool;
  for (int i = 0; i < 8192; ++i) {
    pool.push_back(napster::encode(napster::SearchRequest{workload.next(rng).words, max_results}));
  }
  return pool;
}

std::size_t total_files(const std::vector<Bytes>& batches) {
  std::size_t n = 0;
  for (const Bytes& b : batches) {
    for (std::size_t at = 0; at + 4 <= b.size(); at += 4 + (b[at] | b[at + 1] << 8)) {
      n += static_cast<MessageType>(b[at + 2] | b[at + 3] << 8) == MessageType::Share ? 1 : 0;
    }
  }
  return n;
}

int run(const Settings& s) {
  auto catalogue = content::Catalogue::generate({.files = s.catalogue_files, .seed = 1});
  if (!catalogue) fail_setup("bench-napster", catalogue.reason());
  std::vector<Bytes> batches = share_batches(*catalogue, s);
  std::vector<Bytes> queries = query_pool(*catalogue, s.max_results);

  Endpoint address{"127.0.0.1", static_cast<std::uint16_t>(free_port())};
  pid_t server = spawn(node_args("napster-server", address, "bench-server"));
  std::this_thread::sleep_for(milliseconds(300));
  double idle_rss = rss_mib(server);
  Load load(address);

  double cpu_before = cpu_seconds(server);
  double build_s = load.build(batches);
  double build_cpu = cpu_seconds(server) - cpu_before;
  double built_rss = rss_mib(server);
  std::cout << std::fixed << std::setprecision(2) << "index build: " << s.peers
            << " peers logged in and shared " << total_files(batches) << " files in " << build_s
            << " s over loopback (server CPU " << build_cpu << " s)\n";
  std::cout << std::setprecision(1) << "server RSS: " << built_rss << " MiB with the index built ("
            << idle_rss << " MiB empty; goal: under 200 MiB)\n";

  load.add_searchers(s.searchers);
  std::vector<double> rates, cpu_per_search;
  for (int i = 0; i < s.runs; ++i) {
    double cpu = cpu_seconds(server);
    rates.push_back(load.search(queries, s.in_flight, from_seconds(s.seconds)));
    cpu_per_search.push_back((cpu_seconds(server) - cpu) / (rates.back() * s.seconds) * 1e6);
    std::cerr << "run " << i + 1 << "/" << s.runs << ": " << rates.back() << " searches/s, "
              << load.results_per_search() << " results each, " << cpu_per_search.back()
              << " us of server CPU each\n";
  }
  double peak_rss = rss_mib(server);
  std::cout << std::setprecision(0) << "searches answered: " << median(rates) << " per second, median of "
            << s.runs << " runs of " << s.seconds << " s (" << s.searchers << " searchers x " << s.in_flight
            << " in flight, Zipf-drawn three-word queries, MAX_RESULTS " << s.max_results << ", "
            << std::setprecision(1) << load.results_per_search()
            << " results each; goal: >= 20000/s); server RSS " << peak_rss << " MiB after\n";
  if (load.closed() > 0)
    std::cout << load.closed() << " connections closed early, last: " << load.last_close() << "\n";
  stop(server);
  return 0;
}

}  // namespace
}  // namespace p2p::bench

int main(int argc, char** argv) {
  using namespace p2p;
  CliSpec spec = bench::cli_spec(
      "bench-napster",
      "A napster-server process indexing the files of many logged-in peers: index build time, RSS, and "
      "searches answered per second under concurrent searchers over loopback (median of several runs).");
  bench::Settings s;
  spec.options.add_options()("peers", po::value(&s.peers)->default_value(s.peers), "sharing peers")(
      "files-per-peer", po::value(&s.files_per_peer)->default_value(s.files_per_peer),
      "files each peer shares")("catalogue-files",
                                po::value(&s.catalogue_files)->default_value(s.catalogue_files),
                                "distinct files (replicas by Zipf popularity)")(
      "searchers", po::value(&s.searchers)->default_value(s.searchers), "searching connections")(
      "in-flight", po::value(&s.in_flight)->default_value(s.in_flight), "searches outstanding per searcher")(
      "max-results", po::value(&s.max_results)->default_value(s.max_results), "MAX_RESULTS of each search")(
      "seconds", po::value(&s.seconds)->default_value(s.seconds), "length of each run")(
      "runs", po::value(&s.runs)->default_value(s.runs), "runs; the median is reported");
  parse_cli(argc, argv, spec);
  if (s.peers == 0 || s.searchers == 0 || s.in_flight == 0 || s.runs < 1 || !(s.seconds > 0)) {
    fail_setup(spec.program, "--peers, --searchers, --in-flight, --runs and --seconds must be positive");
  }
  if (s.max_results == 0 || s.max_results > napster::kMaxResults)
    fail_setup(spec.program, "--max-results: 1 to " + std::to_string(napster::kMaxResults));
  return bench::run(s);
}
