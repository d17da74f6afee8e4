// bench-kazaa: one supernode core indexing the files of its children, and the searches per second it answers,
// driven directly (no sockets) so the figure is the core's own cost: decode, index search, encode the reply.
// Prints figures; passes or fails nothing.
#include <unistd.h>

#include <chrono>
#include <iomanip>
#include <iostream>

#include "common/content/catalogue.h"
#include "common/content/content_bytes.h"
#include "common/content/query_workload.h"
#include "common/host/cli.h"
#include "kazaa/codec.h"
#include "kazaa/node.h"
#include "tests/bench/bench_util.h"

namespace p2p::bench {
namespace {

struct Settings {
  std::size_t children = 150;  // a full supernode (Liang, Kumar, Ross 2006: 100-160 children)
  std::size_t files_per_child = 100;
  std::size_t catalogue_files = 10'000;
  std::size_t max_results = kazaa::kMaxResults;  // what kazaa-node asks for
  double seconds = 1;
  int runs = 5;
};

// The world as a supernode core sees it, minus the world: sends are counted and dropped, timers never fire,
// telemetry is counted and dropped. The clock stands still.
class NullRuntime : public Runtime, public TelemetrySink {
 public:
  ConnId connect(const Endpoint&) override { return ids_.next(); }
  void send(ConnId, Bytes bytes) override {
    ++frames_sent;
    bytes_sent += bytes.size();
  }
  void close(ConnId, std::string) override { ++closes; }
  void send_datagram(const Endpoint&, Bytes) override {}
  void set_framer(ConnId, std::unique_ptr<Framer>) override {}
  std::size_t queued_bytes(ConnId) const override { return 0; }
  TimerId after(Duration, std::function<void()>) override { return timer_ids_.next(); }
  TimerId every(Duration, std::function<void()>) override { return timer_ids_.next(); }
  void cancel(TimerId) override {}
  TimePoint now() const override { return {}; }
  Rng& random() override { return rng_; }
  TelemetrySink& telemetry() override { return *this; }
  void log(LogLevel, std::string_view) override {}
  Endpoint local_endpoint() const override { return {"127.0.0.1", 1214}; }
  void stop() override {}
  void event(std::string_view, nlohmann::json) override { ++events; }

  ConnId inbound() { return ids_.next(); }

  std::uint64_t frames_sent = 0, bytes_sent = 0, closes = 0, events = 0;

 private:
  Rng rng_{1};
  IdAllocator<ConnId> ids_;
  IdAllocator<TimerId> timer_ids_;
};

int run(const Settings& s) {
  content::CatalogueConfig catalogue_config;
  catalogue_config.files = s.catalogue_files;
  catalogue_config.min_size = 1024;  // the hashes are all the index needs: small files hash fast
  catalogue_config.max_size = 4096;
  auto catalogue =
      std::make_shared<const content::Catalogue>(content::Catalogue::generate(catalogue_config).value());

  double rss_before = rss_mib(getpid());
  NullRuntime rt;
  kazaa::NodeConfig config;
  config.role = kazaa::Role::Super;
  config.catalogue = catalogue;
  config.super.max_children = s.children;
  kazaa::KazaaNode node(rt, config);
  node.on_start();

  // Every child logs in and shares its files: consecutive stretches of the catalogue, so popular and rare
  // files alike have replicas.
  auto start = std::chrono::steady_clock::now();
  std::vector<ConnId> children;
  for (std::size_t c = 0; c < s.children; ++c) {
    ConnId conn = rt.inbound();
    node.on_connected(conn, true, Endpoint::from_ipv4(0x0a000000u + static_cast<std::uint32_t>(c), 0));
    node.on_frame(conn, kazaa::encode(kazaa::Login{"child" + std::to_string(c), 6346, 1000, 0, true, false}));
    for (std::size_t k = 0; k < s.files_per_child; ++k) {
      const content::FileEntry& file = catalogue->file((c * s.files_per_child + k) % catalogue->size());
      node.on_frame(conn,
                    kazaa::encode(kazaa::ShareFile{file.name, file.size, content::file_sha1(file), {}}));
    }
    children.push_back(conn);
  }
  double build_s = seconds_since(start);
  double rss_built = rss_mib(getpid());
  std::cout << std::fixed << std::setprecision(2) << "index build: " << s.children << " children x "
            << s.files_per_child << " files = " << node.supernode()->index().files() << " files indexed in "
            << build_s << " s (hashing included)\n";
  std::cout << std::setprecision(1) << "process RSS: " << rss_built << " MiB with the index built ("
            << rss_built - rss_before << " MiB for the supernode core and its catalogue)\n";

  // Searches from the children in turn for the workload's files (Zipf by popularity).
  content::QueryWorkload workload(*catalogue);
  Rng rng(7);
  std::vector<Bytes> queries;
  for (std::uint16_t id = 0; id < 4096; ++id) {
    queries.push_back(
        kazaa::encode(kazaa::Query{id, workload.next(rng).words, static_cast<std::uint16_t>(s.max_results)}));
  }
  std::vector<double> rates;
  double frames_per_query = 0;
  for (int run = 0; run < s.runs; ++run) {
    std::uint64_t answered = 0;
    std::uint64_t frames_before = rt.frames_sent;
    auto begin = std::chrono::steady_clock::now();
    while (seconds_since(begin) < s.seconds) {
      for (int i = 0; i < 256; ++i, ++answered)
        node.on_frame(children[answered % children.size()], queries[answered % queries.size()]);
    }
    rates.push_back(static_cast<double>(answered) / seconds_since(begin));
    frames_per_query = static_cast<double>(rt.frames_sent - frames_before) / static_cast<double>(answered);
  }
  std::cout << std::setprecision(0) << "searches answered: " << median(rates) << " per second, median of "
            << s.runs << " runs of " << std::setprecision(1) << s.seconds << " s (goal: 50,000)\n";
  std::cout << std::setprecision(2) << "frames sent per search: " << frames_per_query
            << " (a QueryReply when the index matches, then the SearchEnd); rejected: " << node.rejected()
            << "\n";
  return 0;
}

}  // namespace
}  // namespace p2p::bench

int main(int argc, char** argv) {
  using namespace p2p;
  CliSpec spec = bench::cli_spec(
      "bench-kazaa",
      "One KaZaA supernode core indexing its children's files, driven directly: index build time, RSS, and "
      "searches answered per second from its own index (median of several runs).");
  bench::Settings s;
  spec.options.add_options()("children", po::value(&s.children)->default_value(s.children), "children")(
      "files-per-child", po::value(&s.files_per_child)->default_value(s.files_per_child),
      "files each child shares")(
      "catalogue-files", po::value(&s.catalogue_files)->default_value(s.catalogue_files), "distinct files")(
      "max-results", po::value(&s.max_results)->default_value(s.max_results),
      "the result cap of each search")("seconds", po::value(&s.seconds)->default_value(s.seconds),
                                       "length of each run")(
      "runs", po::value(&s.runs)->default_value(s.runs), "runs; the median is reported");
  parse_cli(argc, argv, spec);
  if (s.children == 0 || s.files_per_child == 0 || s.catalogue_files == 0 || s.runs < 1 || !(s.seconds > 0))
    fail_setup(spec.program,
               "--children, --files-per-child, --catalogue-files, --runs and --seconds must be positive");
  if (s.max_results == 0 || s.max_results > kazaa::kMaxResults)
    fail_setup(spec.program, "--max-results: 1 to " + std::to_string(kazaa::kMaxResults));
  return bench::run(s);
}
