// Servents in SimNet on fixed graphs: flood counts against a BFS, TTL limits, reverse-path hits, downloads,
// 503 with X-Try, Bye, and an overlay that repairs itself from the host cache.
#include <gtest/gtest.h>

#include <map>
#include <numeric>

#include "labs/launcher/summaries/gnutella.h"
#include "tests/gnutella/sim_lab.h"

namespace p2p::gnutella {
namespace {

using namespace testing;
using sim::SimNet;

std::uint64_t total_sent(SimNet& net, std::size_t nodes, PayloadType type) {
  std::uint64_t total = 0;
  for (std::size_t v = 0; v < nodes; ++v) {
    if (net.alive(v)) total += net.core_as<Servent>(v).traffic().out(type);
  }
  return total;
}

// The events of one query, by its GUID.
std::vector<NodeEvent> events_of_query(const SimNet& net, std::string_view name, const std::string& guid) {
  std::vector<NodeEvent> found;
  for (NodeEvent& e : events_named(net, name)) {
    if (e.data.value("guid", "") == guid) found.push_back(std::move(e));
  }
  return found;
}

std::string words_of(const content::FileEntry& file) {
  std::string words;
  for (const std::string& w : file.keywords) words += (words.empty() ? "" : " ") + w;
  return words;
}

struct NamedGraph {
  std::string name;
  Graph graph;
  std::vector<std::size_t> sources;
};

TEST(FloodTest, QueryMessagesEqualTheLayeredBfsCountForTtlOneToSeven) {
  auto catalogue = small_catalogue();
  std::vector<NamedGraph> graphs = {{"ring of 12", ring(12), {0, 5}},
                                    {"random 4-regular of 40", random_regular(40, 4, 11), {0, 17, 39}},
                                    {"hand-made", hand_made(), {0, 5, 11}}};
  for (const NamedGraph& g : graphs) {
    for (std::uint8_t ttl = 1; ttl <= 7; ++ttl) {
      SCOPED_TRACE(g.name + ", TTL " + std::to_string(ttl));
      // Every servent of the graph floods with this TTL; nobody shares anything, so only Queries move.
      SimNet net(ttl);
      ASSERT_TRUE(
          start_fixed_overlay(net, g.graph, catalogue, [&](std::size_t, ServentConfig& c) { c.ttl = ttl; }));
      for (std::size_t source : g.sources) {
        SCOPED_TRACE("from node " + std::to_string(source));
        std::uint64_t before = total_sent(net, g.graph.size(), PayloadType::Query);
        auto guid = net.core_as<Servent>(source).query("nothing shared here");
        ASSERT_TRUE(guid.ok());
        net.run_for(std::chrono::seconds(2));

        // The network-wide count of Query descriptors sent is the BFS count, exactly.
        std::uint64_t sent = total_sent(net, g.graph.size(), PayloadType::Query) - before;
        EXPECT_EQ(sent, flood_messages(g.graph, source, ttl));

        // The servents' own reports add up to the same: the originator's copies plus every forward.
        std::string hex = to_hex(*guid);
        auto origin = events_of_query(net, "query_sent", hex);
        ASSERT_EQ(origin.size(), 1u);
        std::uint64_t reported = origin[0].data["sent"].get<std::uint64_t>();
        std::set<std::size_t> reached;
        for (const NodeEvent& seen : events_of_query(net, "query_seen", hex)) {
          reported += seen.data["forwarded"].get<std::uint64_t>();
          EXPECT_TRUE(reached.insert(seen.node).second)
              << "node " << seen.node << " processed the query twice";
          // A servent's distance as the query saw it is its BFS distance: the first copy came the short way.
          EXPECT_EQ(seen.data["hops"].get<std::size_t>(), distances(g.graph, source)[seen.node]);
        }
        EXPECT_EQ(reported, sent);
        // It reached exactly the nodes 1 to TTL hops away.
        EXPECT_EQ(reached, flood_reach(g.graph, source, ttl));
      }
    }
  }
}

TEST(FloodTest, TheLabSummaryOfARunMatchesTheBfsReachAndMessages) {
  // Three queries with TTL 3 from different servents of a random 4-regular graph; nobody shares anything.
  Graph graph = random_regular(40, 4, 11);
  const std::vector<std::size_t> sources = {0, 17, 39};
  SimNet net(5);
  ASSERT_TRUE(
      start_fixed_overlay(net, graph, small_catalogue(), [](std::size_t, ServentConfig& c) { c.ttl = 3; }));
  for (std::size_t source : sources) {
    ASSERT_TRUE(net.core_as<Servent>(source).query("nothing shared here").ok());
    net.run_for(std::chrono::seconds(2));
  }

  // The summariser, given only the run's records, finds the graph's own means.
  double reach = 0, messages = 0;
  for (std::size_t source : sources) {
    reach += static_cast<double>(flood_reach(graph, source, 3).size());
    messages += static_cast<double>(flood_messages(graph, source, 3));
  }
  nlohmann::json m = labs::gnutella_summary(net.records());
  EXPECT_EQ(m["queries"], sources.size());
  EXPECT_DOUBLE_EQ(m["reach_mean"].get<double>(), reach / 3);
  EXPECT_DOUBLE_EQ(m["messages_per_query_mean"].get<double>(), messages / 3);
  EXPECT_DOUBLE_EQ(m["hit_ratio"].get<double>(), 0.0);
  EXPECT_EQ(m["hosts"], graph.size());
}

TEST(FloodTest, EdgesListedAtOneEndMakeTheSameGraphAndTheSameCount) {
  // The launcher may give each servent only its earlier neighbours; the overlay is the same graph, with
  // no duplicate link, so the flood costs what the BFS says.
  Graph graph = random_regular(24, 4, 3);
  SimNet net(3);
  ASSERT_TRUE(start_fixed_overlay(
      net, graph, small_catalogue(), [](std::size_t, ServentConfig& c) { c.ttl = 3; }, /*both_ends=*/false));
  for (std::size_t v = 0; v < graph.size(); ++v) {
    std::set<Endpoint> expected, actual;
    for (std::size_t w : graph[v]) expected.insert(sim_address(w));
    for (const Endpoint& e : net.core_as<Servent>(v).neighbours()) actual.insert(e);
    EXPECT_EQ(actual, expected) << "node " << v;
  }
  std::uint64_t before = total_sent(net, graph.size(), PayloadType::Query);
  ASSERT_TRUE(net.core_as<Servent>(7).query("nothing shared here").ok());
  net.run_for(std::chrono::seconds(2));
  EXPECT_EQ(total_sent(net, graph.size(), PayloadType::Query) - before, flood_messages(graph, 7, 3));
}

TEST(FloodTest, ATtlTwoQueryNeverReachesANodeThreeHopsAway) {
  // On a ring of 10 from node 0, nodes 3 and 7 are three hops away, the nearest that TTL 2 must miss.
  Graph graph = ring(10);
  SimNet net(2);
  ASSERT_TRUE(
      start_fixed_overlay(net, graph, small_catalogue(), [](std::size_t, ServentConfig& c) { c.ttl = 2; }));
  auto guid = net.core_as<Servent>(0).query("anything");
  ASSERT_TRUE(guid.ok());
  net.run_for(std::chrono::seconds(2));

  std::set<std::size_t> reached;
  for (const NodeEvent& seen : events_of_query(net, "query_seen", to_hex(*guid))) reached.insert(seen.node);
  EXPECT_EQ(reached, (std::set<std::size_t>{1, 2, 8, 9}));
  EXPECT_FALSE(reached.contains(3));
  EXPECT_FALSE(reached.contains(7));
  // Nodes 2 and 8 got it with TTL 1 and passed nothing on.
  EXPECT_EQ(net.core_as<Servent>(2).traffic().out(PayloadType::Query), 0u);
  EXPECT_EQ(net.core_as<Servent>(8).traffic().out(PayloadType::Query), 0u);
  EXPECT_EQ(net.core_as<Servent>(3).traffic().in(PayloadType::Query), 0u);
}

TEST(QueryHitTest, HitsComeBackToTheOriginatorOnlyAlongTheReversePath) {
  auto catalogue = small_catalogue();
  const std::size_t file = 7;
  const std::vector<std::size_t> sharers = {4, 13, 25};
  const std::size_t origin = 0;
  Graph graph = random_regular(30, 4, 5);
  SimNet net(9);
  ASSERT_TRUE(start_fixed_overlay(net, graph, catalogue, [&](std::size_t v, ServentConfig& c) {
    if (std::find(sharers.begin(), sharers.end(), v) != sharers.end()) c.shared = {file};
    c.download_probability = 0;
  }));
  auto guid = net.core_as<Servent>(origin).query(words_of(catalogue->file(file)), file);
  ASSERT_TRUE(guid.ok());
  net.run_for(std::chrono::seconds(11));  // past the query window, so query_done is out

  // Every sharer answered, and the originator heard each of them.
  std::string hex = to_hex(*guid);
  auto hits = events_of_query(net, "query_hit", hex);
  ASSERT_EQ(hits.size(), sharers.size());
  std::set<std::string> from;
  for (const NodeEvent& hit : hits) {
    EXPECT_EQ(hit.node, origin) << "a hit was delivered to a node that did not ask";
    from.insert(hit.data["from"].get<std::string>());
  }
  std::set<std::string> expected;
  for (std::size_t s : sharers) expected.insert(sim_address(s).str());
  EXPECT_EQ(from, expected);
  for (std::size_t v = 0; v < graph.size(); ++v) {
    if (v != origin) {
      EXPECT_EQ(net.core_as<Servent>(v).hits_received(), 0u) << "node " << v;
    }
  }

  // Each hit walked back exactly the hops its query came: the QueryHits sent add up to the distances.
  std::vector<std::size_t> dist = distances(graph, origin);
  std::size_t path_hops = 0;
  for (std::size_t s : sharers) path_hops += dist[s];
  EXPECT_EQ(total_sent(net, graph.size(), PayloadType::QueryHit), path_hops);

  // The first hit took two trips over the nearest sharer's hops, 20 ms each way per hop.
  auto done = events_of_query(net, "query_done", hex);
  ASSERT_EQ(done.size(), 1u);
  std::size_t nearest = std::min({dist[4], dist[13], dist[25]});
  EXPECT_NEAR(done[0].data["first_hit_ms"].get<double>(), 2.0 * 20 * static_cast<double>(nearest), 0.01);
  EXPECT_EQ(done[0].data["hits"], 3);
  EXPECT_EQ(done[0].data["target_found"], true);
}

TEST(DownloadTest, AFileFoundByAQueryDownloadsVerifiedAndIsSharedAfterwards) {
  // Node 11 at the end of the hand-made graph shares file 3; node 0, four hops away, searches for it.
  auto catalogue = small_catalogue();
  const std::size_t file = 3;
  Graph graph = hand_made();
  SimNet net(4);
  ASSERT_TRUE(start_fixed_overlay(net, graph, catalogue, [&](std::size_t v, ServentConfig& c) {
    if (v == 11) c.shared = {file};
  }));
  ASSERT_TRUE(net.core_as<Servent>(0).query(words_of(catalogue->file(file)), file).ok());
  ASSERT_TRUE(
      net.run_until([&] { return !events_named(net, "download_done").empty(); }, std::chrono::seconds(10)));

  auto done = events_named(net, "download_done");
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].node, 0u);
  EXPECT_EQ(done[0].data["ok"], true) << done[0].data.dump();
  EXPECT_EQ(done[0].data["verified"], true);
  EXPECT_EQ(done[0].data["bytes"], catalogue->file(file).size);
  EXPECT_EQ(done[0].data["from"], sim_address(11).str());
  auto uploads = events_named(net, "upload_done");
  ASSERT_EQ(uploads.size(), 1u);
  EXPECT_EQ(uploads[0].node, 11u);

  // Node 0 now shares the file too: a later query from node 9 hears from both.
  EXPECT_TRUE(net.core_as<Servent>(0).files().shares(file));
  auto again = net.core_as<Servent>(9).query(words_of(catalogue->file(file)));
  ASSERT_TRUE(again.ok());
  net.run_for(std::chrono::seconds(2));
  EXPECT_EQ(events_of_query(net, "query_hit", to_hex(*again)).size(), 2u);
}

TEST(ServentOverlayTest, AFullServentAnswers503WithHostsToTryAndNewcomersFollowThem) {
  // Node 0 takes two neighbours at most; five newcomers know only node 0 and want one neighbour each.
  SimNet net(6);
  auto catalogue = small_catalogue();
  auto add = [&](std::size_t v, std::size_t degree, std::size_t max_degree, std::vector<Endpoint> bootstrap) {
    ServentConfig config;
    config.catalogue = catalogue;
    config.overlay.degree = degree;
    config.overlay.max_degree = max_degree;
    config.overlay.bootstrap = std::move(bootstrap);
    net.add_node(node_name(v), test_link(),
                 [config](Runtime& rt) { return std::make_unique<Servent>(rt, config); });
  };
  add(0, 1, 2, {});
  for (std::size_t v = 1; v <= 5; ++v) {
    add(v, 1, 8, {sim_address(0)});
    net.run_for(
        std::chrono::milliseconds(500));  // one at a time, so node 0 fills up before the last ones ask
  }
  net.run_for(std::chrono::seconds(10));

  EXPECT_EQ(net.core_as<Servent>(0).neighbours().size(), 2u);
  for (std::size_t v = 1; v <= 5; ++v)
    EXPECT_GE(net.core_as<Servent>(v).neighbours().size(), 1u) << "node " << v;
  bool turned_away = false;
  for (const NodeEvent& failed : events_named(net, "handshake_failed")) {
    if (failed.data["reason"].get<std::string>().starts_with("refused by peer: 503")) turned_away = true;
  }
  EXPECT_TRUE(turned_away);
}

TEST(ServentOverlayTest, ALeavingServentSaysBye) {
  SimNet net(8);
  Graph graph = ring(4);
  ASSERT_TRUE(start_fixed_overlay(net, graph, small_catalogue(), [](std::size_t, ServentConfig&) {}));
  net.leave(2);
  net.run_for(std::chrono::seconds(3));
  EXPECT_FALSE(net.alive(2));
  std::size_t byes = 0;
  for (const NodeEvent& down : events_named(net, "neighbour_down")) {
    if (down.node != 2 && down.data["reason"] == "bye from peer: 200 leaving") ++byes;
  }
  EXPECT_EQ(byes, 2u);  // nodes 1 and 3
  EXPECT_EQ(net.core_as<Servent>(1).traffic().in(PayloadType::Bye), 1u);
}

// Whether every alive servent can reach every other over the neighbour links they report.
bool connected(SimNet& net, std::size_t nodes) {
  std::map<Endpoint, std::size_t> by_address;
  std::size_t first = nodes;
  for (std::size_t v = 0; v < nodes; ++v) {
    if (!net.alive(v)) continue;
    by_address[net.endpoint(v)] = v;
    first = std::min(first, v);
  }
  std::set<std::size_t> seen = {first};
  std::vector<std::size_t> stack = {first};
  while (!stack.empty()) {
    std::size_t v = stack.back();
    stack.pop_back();
    for (const Endpoint& n : net.core_as<Servent>(v).neighbours()) {
      auto it = by_address.find(n);
      if (it != by_address.end() && seen.insert(it->second).second) stack.push_back(it->second);
    }
  }
  return seen.size() == by_address.size();
}

TEST(OverlayRepairTest, AfterAFifthOfTheServentsAreKilledTheRestRelinkFromTheirHostCaches) {
  // 30 servents bootstrap from node 0 and discover one another through pongs and X-Try.
  const std::size_t n = 30;
  SimNet net(12);
  auto catalogue = small_catalogue();
  for (std::size_t v = 0; v < n; ++v) {
    ServentConfig config;
    config.catalogue = catalogue;
    if (v > 0) config.overlay.bootstrap = {sim_address(0)};
    net.add_node(node_name(v), test_link(),
                 [config](Runtime& rt) { return std::make_unique<Servent>(rt, config); });
  }
  auto all_at_degree = [&] {
    for (std::size_t v = 0; v < n; ++v) {
      if (net.alive(v) && net.core_as<Servent>(v).neighbours().size() < 4) return false;
    }
    return true;
  };
  ASSERT_TRUE(net.run_until(all_at_degree, std::chrono::seconds(60)));
  EXPECT_TRUE(connected(net, n));

  // Six servents die at once, node 0, the bootstrap host, among them.
  std::set<Endpoint> dead;
  for (std::size_t v : {0, 4, 9, 14, 19, 24}) {
    net.kill(v);
    dead.insert(net.endpoint(v));
  }
  net.run_for(std::chrono::seconds(30));

  // Every survivor is back at its degree, with no dead neighbour, in one connected overlay.
  EXPECT_TRUE(all_at_degree());
  for (std::size_t v = 0; v < n; ++v) {
    if (!net.alive(v)) continue;
    for (const Endpoint& neighbour : net.core_as<Servent>(v).neighbours()) {
      EXPECT_FALSE(dead.contains(neighbour)) << "node " << v << " still lists a dead neighbour";
    }
  }
  EXPECT_TRUE(connected(net, n));
  std::size_t resets = 0;
  for (const NodeEvent& down : events_named(net, "neighbour_down")) {
    if (down.data["reason"] == "connection reset by peer") ++resets;
  }
  EXPECT_GT(resets, 0u);
}

}  // namespace
}  // namespace p2p::gnutella
