// One servent's forwarding rate, measured from outside the process over loopback.
#include "tests/bench/gnutella/forwarding.h"

#include <unistd.h>

#include <cstring>
#include <iostream>
#include <string>

#include "common/content/catalogue.h"
#include "common/content/query_workload.h"
#include "common/host/cli.h"
#include "gnutella/descriptor.h"
#include "tests/bench/bench_util.h"
#include "tests/bench/gnutella/bench_links.h"

namespace p2p::bench {
namespace {

using gnutella::PayloadType;

constexpr std::size_t kTypeOffset = 16;  // in the descriptor header, after the GUID
// Bytes waiting in the benchmark's own send queue before it stops adding more: the servent sets the pace.
constexpr std::size_t kMaxQueued = 256 * 1024;

// Query frames for the keywords of catalogue files drawn by popularity (the labs' workload), TTL 7, hops 0.
// Their GUIDs are filled in as they are sent.
std::vector<Bytes> query_templates(std::size_t catalogue_files) {
  auto catalogue = content::Catalogue::generate({.files = catalogue_files, .seed = 1});
  if (!catalogue) fail_setup("bench-gnutella", catalogue.reason());
  content::QueryWorkload workload(*catalogue);
  Rng rng(7);
  std::vector<Bytes> frames;
  for (int i = 0; i < 4096; ++i) {
    auto frame = gnutella::encode_descriptor({}, gnutella::kDefaultTtl, 0,
                                             gnutella::Query{0, workload.next(rng).words, {}});
    if (!frame) fail_setup("bench-gnutella", frame.reason());
    frames.push_back(std::move(frame).value());
  }
  return frames;
}

// Sends the Queries and counts what the servent passes on, on one reactor.
class QueryStream {
 public:
  QueryStream(const ForwardingSettings& s, const Endpoint& servent)
      : s_(s),
        templates_(query_templates(s.catalogue_files)),
        links_(reactor_, [this](std::size_t link, ByteView frame) { on_descriptor(link, frame); }) {
    for (std::size_t i = 0; i < s.neighbours; ++i) links_.dial(servent);
    links_.settle(seconds(10));
    for (std::size_t i = 0; i < s.neighbours; ++i) {
      if (links_.state(i) != BenchLinks::State::Established) {
        fail_setup("bench-gnutella",
                   "link " + std::to_string(i) + " to the servent failed: " + links_.ended_because(i));
      }
    }
    reactor_.every(milliseconds(1), [this] { top_up(); });
  }

  // Runs the stream for `d`; the Query descriptors forwarded meanwhile.
  std::uint64_t run_for(Duration d) {
    std::uint64_t before = forwarded_;
    reactor_.run_for(d);
    return forwarded_ - before;
  }
  TimePoint now() const { return reactor_.now(); }

  double hits_per_query() const { return sent_ == 0 ? 0 : static_cast<double>(hits_) / sent_; }
  std::size_t links_lost() const {
    std::size_t lost = 0;
    for (std::size_t i = 0; i < s_.neighbours; ++i) lost += links_.state(i) == BenchLinks::State::Ended;
    return lost;
  }
  void close() { links_.close_all(); }

 private:
  void on_descriptor(std::size_t, ByteView frame) {
    auto type = static_cast<PayloadType>(frame[kTypeOffset]);
    if (type == PayloadType::Query) {
      ++forwarded_;
      if (forwarded_ % s_.batch == 0) top_up();
    } else if (type == PayloadType::QueryHit) {
      ++hits_;
    }
  }

  // Keeps at most `window` Queries in flight: each one sent comes out on every other link once forwarded.
  void top_up() {
    auto in_flight = [&] { return sent_ - forwarded_ / (s_.neighbours - 1); };
    while (in_flight() < s_.window) {
      std::size_t link = next_sender_++ % s_.senders;
      if (links_.queued_bytes(link) > kMaxQueued) return;
      links_.send(link, next_batch());
    }
  }

  // `batch` Queries in one write, each with a GUID of its own: a counter, with the draft's byte 8 set to
  // 0xff and byte 15 zero (GDF Gnutella 0.6, 2.2.1).
  Bytes next_batch() {
    Bytes batch;
    for (std::size_t i = 0; i < s_.batch; ++i) {
      const Bytes& frame = templates_[sent_ % templates_.size()];
      std::size_t at = batch.size();
      batch.insert(batch.end(), frame.begin(), frame.end());
      std::memcpy(&batch[at], &sent_, sizeof sent_);
      batch[at + 8] = 0xff;
      ++sent_;
    }
    return batch;
  }

  const ForwardingSettings& s_;
  std::vector<Bytes> templates_;
  Reactor reactor_;
  BenchLinks links_;
  std::uint64_t sent_ = 0;
  std::uint64_t forwarded_ = 0;
  std::uint64_t hits_ = 0;
  std::size_t next_sender_ = 0;
};

}  // namespace

ForwardingFigures measure_forwarding(const ForwardingSettings& s) {
  Endpoint address{"127.0.0.1", static_cast<std::uint16_t>(free_port())};
  std::vector<std::string> args = node_args("gnutella-servent", address, "bench-servent");
  // clang-format off
  args.insert(args.end(), {
      "--max-degree", std::to_string(std::max<std::size_t>(s.neighbours, 8)),
      "--catalogue-files", std::to_string(s.catalogue_files),
      "--nodes", std::to_string(s.lab_servents)});
  // clang-format on
  if (!s.query_seen) args.push_back("--no-query-seen");
  pid_t servent = spawn(args);
  if (!wait_listening(address.port, 10000)) {
    stop(servent);
    fail_setup("bench-gnutella", "gnutella-servent did not listen on " + address.str());
  }
  ForwardingFigures figures;
  {
    QueryStream stream(s, address);
    stream.run_for(seconds(1));  // warm-up: the pipeline fills, the seen-table grows
    for (int i = 0; i < s.runs; ++i) {
      double servent_cpu = cpu_seconds(servent), bench_cpu = cpu_seconds(getpid());
      TimePoint start = stream.now();
      std::uint64_t forwarded = stream.run_for(from_seconds(s.seconds));
      double elapsed = to_seconds(stream.now() - start);
      ForwardingRun run;
      run.forwarded_per_s = static_cast<double>(forwarded) / elapsed;
      run.servent_cpu_us = forwarded == 0 ? 0 : (cpu_seconds(servent) - servent_cpu) / forwarded * 1e6;
      run.bench_cpu_share = (cpu_seconds(getpid()) - bench_cpu) / elapsed;
      figures.runs.push_back(run);
      std::cerr << "forwarding run " << i + 1 << "/" << s.runs << ": "
                << static_cast<std::uint64_t>(run.forwarded_per_s) << " descriptors/s, servent CPU "
                << run.servent_cpu_us << " us each, benchmark " << run.bench_cpu_share << " cores\n";
    }
    figures.hits_per_query = stream.hits_per_query();
    figures.links_lost = stream.links_lost();
    stream.close();
  }
  stop(servent);
  return figures;
}

}  // namespace p2p::bench
