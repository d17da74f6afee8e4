// A loopback overlay of real servents, watched through their telemetry as the launcher's recorder sees it.
#include "tests/bench/gnutella/overlay_lab.h"

#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <queue>
#include <set>
#include <vector>

#include "common/content/catalogue.h"
#include "common/content/query_workload.h"
#include "common/host/cli.h"
#include "common/telemetry/fields.h"
#include "gnutella/descriptor.h"
#include "labs/launcher/recorder.h"
#include "tests/bench/bench_util.h"
#include "tests/bench/gnutella/bench_links.h"

namespace p2p::bench {
namespace {

using gnutella::PayloadType;

// A query is over when no servent has seen it and no hit has come back for this long.
constexpr Duration kQueryQuiet = seconds(2);
constexpr Duration kQueryLimit = seconds(20);
// Listening ports are handed out from here up, below Linux's ephemeral range (32768 and up), so that no
// outgoing connection of the lab can take one between the benchmark's check and the servent's bind.
constexpr int kFirstPort = 20000;
constexpr int kLastPort = 32767;

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string node_id(std::size_t index) {
  return "servent-" + std::to_string(index);
}

class OverlayLab {
 public:
  explicit OverlayLab(const OverlaySettings& s)
      : s_(s),
        folder_(make_folder()),
        recorder_(context_, reactor_, folder_ + "/events.jsonl"),
        nodes_(s.servents) {
    recorder_.observe([this](const nlohmann::json& record) { on_record(record); });
  }
  ~OverlayLab() {
    // All leave at once, then each is reaped (a pid of -1, a failed start, would signal every process).
    for (const Node& node : nodes_) {
      if (node.pid > 0) kill(node.pid, SIGTERM);
    }
    for (const Node& node : nodes_) stop(node.pid, 3000);
    if (!s_.keep) std::filesystem::remove_all(folder_);
  }

  OverlayFigures run() {
    OverlayFigures f;
    f.folder = folder_;
    assign_ports();
    start_ = reactor_.now();
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      nodes_[i].pid = spawn(servent_args(i));
      if (i % 50 == 0) reactor_.run_for(Duration{});  // keep the recorder reading meanwhile
    }
    f.spawn_s = elapsed();
    auto up = [&] { return std::count_if(nodes_.begin(), nodes_.end(), [](const Node& n) { return n.up; }); };
    run_until([&] { return static_cast<std::size_t>(up()) == nodes_.size(); }, seconds(120));
    f.up = static_cast<std::size_t>(up());
    if (f.up == nodes_.size()) f.up_s = elapsed();
    if (run_until([&] { return at_degree() == nodes_.size(); }, from_seconds(s_.settle_limit)))
      f.settled_s = elapsed();
    f.at_degree = at_degree();
    f.machine_load = load_average().one;
    std::vector<double> rss;
    for (const Node& node : nodes_) rss.push_back(rss_mib(node.pid));
    f.servent_rss_mib = median(rss);
    reactor_.run_for(seconds(1));  // a status from every servent with its settled neighbour list
    query(f);
    return f;
  }

 private:
  struct Node {
    pid_t pid = -1;
    Endpoint listen;
    bool up = false;  // it has published a record
    std::size_t neighbours = 0;
    std::vector<std::string> neighbour_list;
  };

  static std::string make_folder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "bench-gnutella-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) fail_setup("bench-gnutella", "cannot make a folder in /tmp");
    return pattern;
  }

  void assign_ports() {
    int port = kFirstPort;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      while (port <= kLastPort && !port_is_free(port)) ++port;
      if (port > kLastPort) fail_setup("bench-gnutella", "not enough free ports below 32768");
      nodes_[i].listen = Endpoint{"127.0.0.1", static_cast<std::uint16_t>(port++)};
      by_listen_[nodes_[i].listen.str()] = i;
    }
  }

  // Every servent but the first bootstraps from the first, as in a lab with one well-known host.
  std::vector<std::string> servent_args(std::size_t index) const {
    std::vector<std::string> args = node_args("gnutella-servent", nodes_[index].listen, node_id(index));
    // clang-format off
    args.insert(args.end(), {
        "--telemetry", recorder_.publish_endpoint(),
        // Seeds of their own: servents with one seed would draw the same GUIDs and drop each other's pings.
        "--seed", std::to_string(index + 1),
        "--degree", std::to_string(s_.degree),
        "--max-degree", std::to_string(s_.max_degree),
        "--catalogue-files", std::to_string(s_.catalogue_files),
        "--files-per-node", std::to_string(s_.files_per_node),
        "--nodes", std::to_string(s_.servents),
        "--node-index", std::to_string(index)});
    // clang-format on
    if (index > 0) {
      args.push_back("--bootstrap");
      args.push_back(nodes_[0].listen.str());
    }
    return args;
  }

  void on_record(const nlohmann::json& record) {
    std::string node = telemetry::string_at(record, "node");
    if (!node.starts_with("servent-")) return;
    std::size_t index = std::strtoul(node.c_str() + 8, nullptr, 10);
    if (index >= nodes_.size()) return;
    Node& n = nodes_[index];
    n.up = true;
    const nlohmann::json& data = telemetry::data_of(record);
    if (telemetry::string_at(record, "kind") == "status") {
      // Statuses, unlike events, are repeated: a servent's first events can be lost while its publisher
      // is still connecting (the slow joiner), but its degree is always known within 500 ms.
      const nlohmann::json* sys = telemetry::field_at(record, "sys");
      if (sys == nullptr) return;
      n.neighbours = static_cast<std::size_t>(telemetry::number_at(*sys, "neighbours").value_or(0));
      n.neighbour_list.clear();
      const nlohmann::json* list = telemetry::field_at(*sys, "neighbour_list");
      if (list != nullptr && list->is_array()) {
        for (const auto& peer : *list) {
          if (peer.is_string()) n.neighbour_list.push_back(peer.get<std::string>());
        }
      }
    } else if (telemetry::string_at(record, "event") == "query_seen" &&
               telemetry::string_at(data, "guid") == query_guid_) {
      seen_by_.insert(index);
      forwarded_ += static_cast<std::uint64_t>(telemetry::number_at(data, "forwarded").value_or(0));
      max_hops_ = std::max(max_hops_, static_cast<int>(telemetry::number_at(data, "hops").value_or(0)));
      last_seen_ = std::max(last_seen_, telemetry::number_at(record, "t").value_or(0));
      last_news_ = reactor_.now();
    }
  }

  // The benchmark joins the overlay with `degree` links, as a servent would, and floods one query.
  void query(OverlayFigures& f) {
    BenchLinks links(reactor_, [&](std::size_t, ByteView frame) { on_descriptor(f, frame); });
    Rng rng(99);
    std::vector<std::size_t> linked;
    for (int attempt = 0; attempt < 50 && linked.size() < s_.degree; ++attempt) {
      std::size_t index = rng.below(nodes_.size());
      if (std::find(linked.begin(), linked.end(), index) != linked.end()) continue;
      std::size_t link = links.dial(nodes_[index].listen);
      links.settle(seconds(10));
      if (links.state(link) == BenchLinks::State::Established) linked.push_back(index);
    }
    f.query_links = linked.size();
    f.bfs_reachable = within_hops(linked, s_.ttl, f);

    auto catalogue = content::Catalogue::generate({.files = s_.catalogue_files, .seed = 1});
    if (!catalogue) fail_setup("bench-gnutella", catalogue.reason());
    std::string words = content::QueryWorkload(*catalogue).next(rng).words;
    guid_ = gnutella::make_guid(rng);
    query_guid_ = gnutella::to_hex(guid_);
    auto frame = gnutella::encode_descriptor(guid_, s_.ttl, 0, gnutella::Query{0, words, {}});
    if (!frame) fail_setup("bench-gnutella", frame.reason());
    sent_wall_ = wall_seconds();
    sent_ = reactor_.now();
    last_news_ = sent_;
    for (std::size_t link = 0; link < links.size(); ++link) {
      if (links.state(link) == BenchLinks::State::Established) links.send(link, *frame);
    }
    run_until([&] { return reactor_.now() - last_news_ > kQueryQuiet; }, kQueryLimit);
    f.reached = seen_by_.size();
    f.query_messages = linked.size() + forwarded_;
    if (!seen_by_.empty()) f.flood_ms = (last_seen_ - sent_wall_) * 1000;
    f.max_hops = max_hops_;
    links.close_all();
  }

  void on_descriptor(OverlayFigures& f, ByteView frame) {
    auto header = gnutella::decode_header(frame);
    if (!header || header->guid != guid_ || header->type != PayloadType::QueryHit) return;
    double ms = to_seconds(reactor_.now() - sent_) * 1000;
    ++f.hits;
    f.hit_messages += header->hops + 1u;  // it crossed one link more than its hop count says
    if (!f.first_hit_ms) f.first_hit_ms = ms;
    f.last_hit_ms = ms;
    last_news_ = reactor_.now();
  }

  // Servents within `ttl` hops of the benchmark, whose links reach `first` at hop 1, by breadth-first search
  // on the overlay the servents' statuses describe; also counts its edges and components.
  std::size_t within_hops(const std::vector<std::size_t>& first, int ttl, OverlayFigures& f) const {
    std::vector<std::set<std::size_t>> adjacent(nodes_.size());
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      for (const std::string& peer : nodes_[i].neighbour_list) {
        auto it = by_listen_.find(peer);
        if (it == by_listen_.end() || it->second == i) continue;
        adjacent[i].insert(it->second);
        adjacent[it->second].insert(i);
      }
    }
    for (const auto& set : adjacent) f.edges += set.size();
    f.edges /= 2;
    auto bfs = [&](const std::vector<std::size_t>& from, std::vector<int>& depth) {
      std::queue<std::size_t> frontier;
      for (std::size_t s : from) {
        depth[s] = 1;
        frontier.push(s);
      }
      while (!frontier.empty()) {
        std::size_t at = frontier.front();
        frontier.pop();
        for (std::size_t next : adjacent[at]) {
          if (depth[next] == 0) {
            depth[next] = depth[at] + 1;
            frontier.push(next);
          }
        }
      }
    };
    std::vector<int> component(nodes_.size(), 0);
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      if (component[i] != 0) continue;
      ++f.components;
      bfs({i}, component);
    }
    std::vector<int> depth(nodes_.size(), 0);
    bfs(first, depth);
    return static_cast<std::size_t>(
        std::count_if(depth.begin(), depth.end(), [&](int d) { return d > 0 && d <= ttl; }));
  }

  std::size_t at_degree() const {
    return static_cast<std::size_t>(std::count_if(nodes_.begin(), nodes_.end(),
                                                  [&](const Node& n) { return n.neighbours >= s_.degree; }));
  }

  bool run_until(const std::function<bool()>& done, Duration limit) {
    TimePoint deadline = reactor_.now() + limit;
    while (!done()) {
      if (reactor_.now() >= deadline) return false;
      reactor_.run_for(milliseconds(10));
    }
    return true;
  }

  double elapsed() const { return to_seconds(reactor_.now() - start_); }

  const OverlaySettings& s_;
  std::string folder_;
  zmq::context_t context_;
  Reactor reactor_;
  labs::Recorder recorder_;
  std::vector<Node> nodes_;
  std::map<std::string, std::size_t> by_listen_;
  TimePoint start_;

  gnutella::Guid guid_{};
  std::string query_guid_;
  std::set<std::size_t> seen_by_;
  std::uint64_t forwarded_ = 0;
  int max_hops_ = 0;
  double last_seen_ = 0;
  double sent_wall_ = 0;
  TimePoint sent_{};
  TimePoint last_news_{};
};

}  // namespace

OverlayFigures measure_overlay(const OverlaySettings& settings) {
  raise_fd_limit();
  OverlayLab lab(settings);
  return lab.run();
}

}  // namespace p2p::bench
