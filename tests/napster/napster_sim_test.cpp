// Napster in SimNet: one index server and 50 peers on shaped links, searching, downloading, and living
// through the server's death and restart (the single-point-of-failure lab).
#include <gtest/gtest.h>

#include <algorithm>

#include "common/content/placement.h"
#include "common/sim/sim_net.h"
#include "labs/launcher/summaries/napster.h"
#include "napster/peer.h"
#include "napster/server.h"

namespace p2p::napster {
namespace {

using sim::NodeIndex;
using sim::SimNet;

constexpr std::size_t kPeers = 50;

LinkConfig link(std::uint64_t up_kbps, std::uint64_t down_kbps, int latency_ms) {
  return {up_kbps * 1000, down_kbps * 1000, milliseconds(latency_ms)};
}

// The lab's links: the launcher's "adsl" profile for peers, a small data-centre link for the server.
const LinkConfig kPeerLink = link(256, 1024, 20);
const LinkConfig kServerLink = link(10'000, 10'000, 5);

// The peers' login backoff for the lab. Peers cut off at the kill retry every backoff_max at worst, so after
// the restart a peer waits up to backoff_max (plus 20 % jitter) to log in again, and its searches fail until
// it does. Within the 20 s "after" window that costs about (backoff_max / 2) / 20 s of the searches: 2 s
// keeps the success ratio well above the issue's 0.9, where the default 30 s could leave peers out for the
// whole window.
constexpr Duration kLabBackoffMax = seconds(2);

std::vector<nlohmann::json> events_named(const std::vector<nlohmann::json>& records, std::string_view name) {
  std::vector<nlohmann::json> out;
  for (const auto& r : records) {
    if (r.value("kind", "") == "event" && r.value("event", "") == name) out.push_back(r);
  }
  return out;
}

// One server (node 0) and kPeers peers sharing a 200-file catalogue by popularity placement, each searching
// at `query_rate` and downloading what it finds.
class NapsterLab {
 public:
  explicit NapsterLab(double query_rate = 0.5, std::uint64_t seed = 7)
      : catalogue_(content::Catalogue::generate({.files = 200,
                                                 .zipf_alpha = 0.8,
                                                 .min_size = 64 * 1024,
                                                 .max_size = 2 * 1024 * 1024,
                                                 .seed = seed})
                       .value()),
        workload_(std::make_shared<content::QueryWorkload>(catalogue_)),
        net_(seed) {
    auto placement =
        content::place_replicas(catalogue_, {.nodes = kPeers, .files_per_node = 10, .seed = seed}).value();
    server_ = net_.add_node("server", kServerLink, [](Runtime& rt) { return std::make_unique<Server>(rt); });
    Endpoint where = net_.endpoint(server_);
    for (std::size_t i = 0; i < kPeers; ++i) {
      PeerConfig config;
      config.nick = "peer-" + std::to_string(i);
      config.server = where;
      config.query_rate = query_rate;
      config.download_probability = 0.5;
      config.max_downloads = 2;
      config.backoff.max = kLabBackoffMax;
      std::vector<std::size_t> shared = placement.shared[i];
      peers_.push_back(net_.add_node(config.nick, kPeerLink, [this, config, shared](Runtime& rt) {
        return std::make_unique<Peer>(rt, config, std::make_unique<CatalogueSharedFiles>(catalogue_, shared),
                                      workload_);
      }));
    }
  }

  SimNet& net() { return net_; }
  NodeIndex server() const { return server_; }
  Peer& peer(std::size_t i) { return net_.core_as<Peer>(peers_.at(i)); }
  Server& server_core() { return net_.core_as<Server>(server_); }
  const content::Catalogue& catalogue() const { return catalogue_; }

  std::size_t peers_online() {
    std::size_t n = 0;
    for (std::size_t i = 0; i < kPeers; ++i) n += peer(i).server_state() == ServerState::Online ? 1 : 0;
    return n;
  }
  std::size_t downloads_active() {
    std::size_t n = 0;
    for (std::size_t i = 0; i < kPeers; ++i) n += peer(i).status()["downloads_active"].get<std::size_t>();
    return n;
  }
  // search_done events in [from, to) of virtual time: (answered, all).
  std::pair<std::size_t, std::size_t> searches_between(double from, double to) const {
    std::size_t ok = 0, all = 0;
    for (const auto& e : events_named(net_.records(), "search_done")) {
      double t = e["t"].get<double>();
      if (t < from || t >= to) continue;
      ++all;
      ok += e["data"]["ok"].get<bool>() ? 1 : 0;
    }
    return {ok, all};
  }

 private:
  // The cores refer to the catalogue: the net, and its cores, go first.
  content::Catalogue catalogue_;
  std::shared_ptr<const content::QueryWorkload> workload_;
  SimNet net_;
  NodeIndex server_;
  std::vector<NodeIndex> peers_;
};

double now_s(SimNet& net) {
  return seconds_since_epoch(net.now());
}

TEST(NapsterSimTest, FiftyPeersSearchTheIndexAndDownloadVerifiedFiles) {
  NapsterLab lab;
  ASSERT_TRUE(lab.net().run_until([&] { return lab.peers_online() == kPeers; }, seconds(5)));
  lab.net().run_for(seconds(60));

  // Every peer's files are in the index, and almost every search was answered (the few that fail were
  // issued before their peer had logged in).
  EXPECT_EQ(lab.server_core().users(), kPeers);
  auto [ok, all] = lab.searches_between(0, now_s(lab.net()));
  ASSERT_GT(all, 1000u);
  EXPECT_GE(static_cast<double>(ok) / all, 0.99) << ok << " of " << all;

  // Downloads went straight between peers and every finished file matched its MD5.
  std::size_t verified = 0;
  for (const auto& e : events_named(lab.net().records(), "download_done")) {
    EXPECT_NE(e["data"]["md5_ok"], false) << e.dump();
    if (e["data"]["ok"] == true) {
      EXPECT_EQ(e["data"]["md5_ok"], true);
      ++verified;
    }
  }
  EXPECT_GT(verified, 20u);
  std::cout << "[ figures  ] " << all << " searches, " << ok << " answered, " << verified
            << " verified downloads in 60 s\n";
}

TEST(NapsterSimTest, KillingTheServerFailsSearchesWhileATransferInFlightCompletes) {
  NapsterLab lab;
  lab.net().run_for(seconds(20));
  ASSERT_TRUE(lab.net().run_until([&] { return lab.downloads_active() >= 3; }, seconds(30)));
  std::size_t in_flight = lab.downloads_active();

  // The index server dies: every peer sees its connection drop and goes offline.
  lab.net().kill(lab.server());
  double killed = now_s(lab.net());
  lab.net().run_for(seconds(30));
  EXPECT_EQ(lab.peers_online(), 0u);

  // Every search after the kill failed fast, saying why.
  auto [ok, all] = lab.searches_between(killed + 0.1, now_s(lab.net()));
  ASSERT_GT(all, 200u);
  EXPECT_EQ(ok, 0u);
  for (const auto& e : events_named(lab.net().records(), "search_done")) {
    if (e["t"].get<double>() <= killed + 0.1) continue;
    std::string reason = e["data"]["reason"];
    EXPECT_TRUE(reason.find("not connected") != std::string::npos ||
                reason.find("server connection lost") != std::string::npos)
        << reason;
    EXPECT_LT(e["data"]["latency_ms"].get<double>(), 100) << "fails fast";
  }

  // Transfers that were running between peers at the kill finished, verified: they never needed the server.
  std::size_t survived = 0;
  for (const auto& e : events_named(lab.net().records(), "download_done")) {
    double t = e["t"].get<double>();
    double started = t - e["data"]["duration_s"].get<double>();
    if (started < killed && t > killed && e["data"]["ok"] == true && e["data"]["md5_ok"] == true) ++survived;
  }
  EXPECT_GE(survived, 1u) << in_flight << " downloads were in flight at the kill";
  std::cout << "[ figures  ] " << in_flight << " downloads in flight at the kill, " << survived
            << " finished verified after it\n";
}

TEST(NapsterSimTest, ARestartedServerStartsEmptyAndServesResultsOncePeersLogBackIn) {
  NapsterLab lab;
  lab.net().run_for(seconds(10));
  std::size_t files_before = lab.server_core().index().stats().files;
  ASSERT_GT(files_before, 0u);
  lab.net().kill(lab.server());
  lab.net().run_for(seconds(20));

  // The restarted server knows nothing until the peers, retrying with backoff, log in and share again.
  lab.net().restart(lab.server());
  EXPECT_EQ(lab.server_core().users(), 0u);
  EXPECT_EQ(lab.server_core().index().stats().files, 0u);
  double restarted = now_s(lab.net());
  ASSERT_TRUE(lab.net().run_until([&] { return lab.peers_online() == kPeers; }, seconds(10)));
  std::cout << "[ figures  ] all peers back " << now_s(lab.net()) - restarted << " s after the restart\n";
  lab.net().run_for(seconds(2));
  EXPECT_EQ(lab.server_core().users(), kPeers);
  EXPECT_GE(lab.server_core().index().stats().files, files_before) << "re-shared, plus what was downloaded";

  // A search for a catalogue file's words is answered with results again.
  const content::FileEntry& file = lab.catalogue().file(0);
  lab.peer(3).search(file.keywords[0] + " " + file.keywords[1] + " " + file.keywords[2]);
  lab.net().run_for(seconds(3));
  auto done = events_named(lab.net().records(), "search_done");
  std::string words = file.keywords[0] + " " + file.keywords[1] + " " + file.keywords[2];
  auto mine = std::find_if(done.rbegin(), done.rend(), [&](const nlohmann::json& e) {
    return e["node"] == "peer-3" && e["data"]["words"] == words;
  });
  ASSERT_NE(mine, done.rend());
  EXPECT_EQ((*mine)["data"]["ok"], true);
  EXPECT_GE((*mine)["data"]["results"].get<int>(), 1);
}

TEST(NapsterSimTest, TheKillAndRestartLabReachesTheIssuesFigures) {
  // spof.ini's timeline: the server is killed at 30 s and restarted at 60 s; 90 s in all.
  NapsterLab lab;
  lab.net().run_for(seconds(30));
  lab.net().kill(lab.server());
  lab.net().run_for(seconds(30));
  lab.net().restart(lab.server());
  lab.net().run_for(seconds(30));

  nlohmann::json metrics = labs::napster_summary(lab.net().records());
  std::cout << "[ figures  ] " << metrics.dump() << "\n";
  EXPECT_GT(metrics["search_success_before"].get<double>(), 0.95);
  EXPECT_EQ(metrics["search_success_outage"].get<double>(), 0.0);
  EXPECT_GT(metrics["search_success_after"].get<double>(), 0.9);
  EXPECT_GT(metrics["downloads_verified"].get<int>(), 0);
  EXPECT_EQ(metrics["downloads_corrupt"].get<int>(), 0);
  EXPECT_GE(metrics["transfers_survived_outage"].get<int>(), 1);
}

TEST(NapsterSimTest, TheSameSeedReplaysTheSameLab) {
  auto run = [](std::uint64_t seed) {
    NapsterLab lab(0.5, seed);
    lab.net().run_for(seconds(10));
    lab.net().kill(lab.server());
    lab.net().run_for(seconds(5));
    return labs::napster_summary(lab.net().records()).dump() + std::to_string(lab.net().events_run());
  };
  EXPECT_EQ(run(3), run(3));
}

}  // namespace
}  // namespace p2p::napster
